"""The outbox in the admin, registered as every service with an outbox does."""

from django.contrib import admin

from extracted_services.chassis.outbox_admin import OutboxMessageAdmin

from .models import OutboxMessage

admin.site.register(OutboxMessage, OutboxMessageAdmin)
