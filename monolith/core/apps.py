"""What every part of the monolith shares: request ids, problems, health, metrics."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "monolith.core"
    label = "core"

    def ready(self):
        # Connect the Celery signal handlers that carry the request id into tasks.
        # Here, not through Celery's autodiscovery: that runs only in the worker, and
        # the web process, which queues the tasks, needs the handlers too.
        # The worker's heartbeat, which /readyz reads, starts the same way.
        from . import heartbeats, tasks  # noqa: F401
