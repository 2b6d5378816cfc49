"""The orders worker: ``celery --app extracted_services.orders.celery worker``."""

from extracted_services.chassis.celery import make_celery

app = make_celery("orders")
