"""The chassis as a Django app, so its templates, commands and signals load."""

import sys

from django.apps import AppConfig
from django.conf import settings


class ChassisConfig(AppConfig):
    name = "extracted_services.chassis"
    label = "chassis"

    def ready(self):
        # Connect the Celery signal handlers that carry the request id into tasks,
        # in the web process (which sends) as well as in the worker (which runs).
        # Registers the JWT scheme with drf-spectacular (found by subclassing).
        # Starts a worker's heartbeat once it consumes (its /readyz checks read it).
        from . import (
            heartbeats,  # noqa: F401
            schema,  # noqa: F401
            tasks,  # noqa: F401
        )

        # Tracing starts here, before the first request builds the middleware chain
        # (Django's instrumentation adds its own), and after the request id's task
        # handlers, so that a task's span is stamped with the id they set.
        if settings.TRACING:
            from .tracing import process_name, start_tracing

            start_tracing(
                process_name(settings.SERVICE_NAME, sys.argv),
                directory=settings.TRACES_DIR,
                instrument=("django", "celery", "httpx", "redis", "sqlite3", "psycopg"),
            )
