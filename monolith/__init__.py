"""The shop as one Django project; its Celery app loads with it."""

from .celery import app as celery_app

__all__ = ["celery_app"]
