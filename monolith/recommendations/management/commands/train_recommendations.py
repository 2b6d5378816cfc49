"""``manage.py train_recommendations``: train the model on every paid order, now."""

from typing import Any

from django.core.management.base import BaseCommand

from monolith.recommendations.services import model_train


class Command(BaseCommand):
    help = (
        "Train the 'customers also bought' model on every paid order and publish "
        "it (RECOMMENDATIONS_MODEL_DIR); running servers pick it up by themselves."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        model = model_train()
        self.stdout.write(
            self.style.SUCCESS(
                f"Model {model.version}: trained on {model.orders_seen} paid orders."
            )
        )
