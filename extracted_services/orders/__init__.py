"""The orders service (port 8102): orders and their lines; places an order as a saga."""

# Django's Celery convention: load the app with the project, so that every process
# (web, worker, the outbox relay) sends tasks through this service's broker.
from .celery import app as celery_app

__all__ = ["celery_app"]
