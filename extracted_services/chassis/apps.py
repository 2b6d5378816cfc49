"""The chassis as a Django app, so its templates, commands and signals load."""

from django.apps import AppConfig


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
