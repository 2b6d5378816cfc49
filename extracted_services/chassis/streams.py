"""The loop of a Redis stream consumer, shared by the subscribers to order events.

A consumer must outlive Redis: while Redis is away, the entry in hand stays pending
(unacknowledged) and is read again once Redis answers; a Redis restarted empty has
lost the consumer group with the rest of its data, and every read answers NOGROUP
until the group is made again. Both the recommendations (FastAPI) and the reports
(Flask) consumers run their own ``step`` inside this loop.
"""

import logging
import threading
from collections.abc import Callable


def consume(
    step: Callable[[], object],
    *,
    ensure_group: Callable[[], None],
    stop: threading.Event,
    retry_seconds: float,
    logger: logging.Logger,
) -> None:
    """Call ``step`` until ``stop`` is set, making the group first and again when
    Redis has lost it; any other failure waits ``retry_seconds`` and tries again."""
    grouped = False
    while not stop.is_set():
        try:
            if not grouped:
                ensure_group()
                grouped = True
            step()
        except Exception as exc:  # the loop must go on: what failed is read again
            if "NOGROUP" in str(exc):
                logger.warning("our group is gone (%s): making it again", exc)
                grouped = False
                continue
            logger.exception("consuming failed; trying again in %s s", retry_seconds)
            stop.wait(retry_seconds)
