"""The monolith's Celery app: `celery -A monolith worker`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "monolith.settings.local")

app = Celery("monolith")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The request id travels with every task: monolith.core connects the signal handlers
# that carry it when Django starts (CoreConfig.ready), in the web and worker alike.
