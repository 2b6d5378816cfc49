"""The test outbox app; its label names the model in ``OUTBOX_MODEL``."""

from django.apps import AppConfig


class OutboxAppConfig(AppConfig):
    name = "extracted_services.chassis.tests.outboxapp"
    label = "outboxapp"
    default_auto_field = "django.db.models.BigAutoField"
