"""The payments worker: ``celery --app extracted_services.payments.celery worker``."""

from extracted_services.chassis.celery import make_celery

app = make_celery("payments")
