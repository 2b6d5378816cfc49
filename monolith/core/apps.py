"""What every part of the monolith shares: request ids, problems, health, metrics."""

import sys

from django.apps import AppConfig
from django.conf import settings


class CoreConfig(AppConfig):
    name = "monolith.core"
    label = "core"

    def ready(self):
        # Connect the Celery signal handlers that carry the request id into tasks.
        # Here, not through Celery's autodiscovery: that runs only in the worker, and
        # the web process, which queues the tasks, needs the handlers too.
        # The worker's heartbeat, which /readyz reads, starts the same way.
        from . import heartbeats, tasks  # noqa: F401

        # Tracing starts here, before the first request builds the middleware chain
        # (Django's instrumentation adds its own), and after the request id's task
        # handlers, so that a task's span is stamped with the id they set.
        if settings.TRACING:
            from .tracing import process_name, start_tracing

            start_tracing(
                process_name("monolith", sys.argv),
                directory=settings.TRACES_DIR,
                instrument=("django", "celery", "redis", "sqlite3", "psycopg"),
            )
