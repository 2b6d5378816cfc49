"""A service's Celery app, configured from its Django settings (``CELERY_*``)."""

import os

from celery import Celery


def make_celery(service: str) -> Celery:
    """``app = make_celery("orders")`` in ``extracted_services/orders/celery.py``."""
    os.environ.setdefault(
        "DJANGO_SETTINGS_MODULE", f"extracted_services.{service}.settings.local"
    )
    app = Celery(service)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.autodiscover_tasks()
    return app
