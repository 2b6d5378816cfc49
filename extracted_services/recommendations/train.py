"""Train the model on every paid order seen so far, and publish it as an artifact.

Run: ``python -m extracted_services.recommendations.train``. The consumer runs the
same function whenever new paid orders arrived (at most every
RECOMMENDATIONS_TRAIN_INTERVAL seconds); a server picks the artifact up by itself.
"""

import logging
import sqlite3

from . import store
from .config import Settings
from .model import Model, build, save
from .observability import configure_logging

# Named, not __name__: run with -m, this module is "__main__".
logger = logging.getLogger("extracted_services.recommendations.train")


def train(*, settings: Settings, connection: sqlite3.Connection) -> Model:
    model = build(store.paid_lines(connection))
    path = save(model, settings.model_dir)
    logger.info(
        "trained model %s on %d paid orders: %s",
        model.version,
        model.orders_seen,
        path,
    )
    return model


def main() -> None:
    settings = Settings()
    configure_logging(settings.log_level)
    connection = store.connect(settings.database)
    try:
        train(settings=settings, connection=connection)
    finally:
        connection.close()


if __name__ == "__main__":
    main()
