"""App config for recommendations."""

from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "monolith.recommendations"
    label = "recommendations"

    def ready(self) -> None:
        # The worker's training clock (tasks.py) starts on Celery's worker_ready
        # signal; connect it here, where both the web process and the worker look.
        from . import tasks  # noqa: F401
