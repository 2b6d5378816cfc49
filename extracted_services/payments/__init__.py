"""The payments service (port 8103): simulated card payments, one per order."""

# Django's Celery convention: load the app with the project, so that every process
# (web, worker, the outbox relay) sends tasks through this service's broker.
from .celery import app as celery_app

__all__ = ["celery_app"]
