"""Writes: train the model on the paid orders, and publish it as an artifact."""

import logging

from django.conf import settings

from .model import Model, build, latest_name, load, save
from .selectors import paid_lines, paid_order_count

logger = logging.getLogger(__name__)


def model_train() -> Model:
    """Train on every paid order now, and publish the artifact the servers load."""
    model = build(paid_lines())
    path = save(model, settings.RECOMMENDATIONS_MODEL_DIR)
    logger.info(
        "trained model %s on %d paid orders: %s",
        model.version,
        model.orders_seen,
        path,
    )
    return model


def model_train_if_stale() -> Model | None:
    """Train only when paid orders changed since the newest artifact; else None."""
    directory = settings.RECOMMENDATIONS_MODEL_DIR
    name = latest_name(directory)
    if name is not None and load(directory / name).orders_seen == paid_order_count():
        return None
    return model_train()
