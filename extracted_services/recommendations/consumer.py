"""Read order events from the stream into the store, at least once, applied once.

Run: ``python -m extracted_services.recommendations.consumer`` (SIGTERM stops it
cleanly, after the event in hand). The subscriber's own consumer group gets every
event; each is applied in one store transaction that also remembers its id (so a
second delivery changes nothing), then acknowledged with XACK. An event read by a
consumer that died before XACK stays pending: XAUTOCLAIM, at start and every
RECOMMENDATIONS_CLAIM_IDLE seconds, hands it to this one. New paid orders retrain
the model, at most every RECOMMENDATIONS_TRAIN_INTERVAL seconds.
"""

import logging
import os
import signal
import socket
import sqlite3
import threading
from time import monotonic
from types import FrameType
from typing import Any, cast

from opentelemetry.trace import SpanKind
from pydantic import ValidationError
from redis import Redis
from redis.exceptions import ResponseError

from extracted_services.chassis.streams import consume
from extracted_services.chassis.tracing import continue_trace, start_tracing

from . import store
from .config import Settings
from .events import KNOWN_TYPES, PAID, event_from_entry
from .model import latest_name
from .observability import configure_logging, current_request_id
from .train import train

# Named, not __name__: run with -m, this module is "__main__".
logger = logging.getLogger("extracted_services.recommendations.consumer")
BLOCK_MS = 1000  # how long one read waits for news: also how fast SIGTERM is heard
BATCH = 100
RETRY = 2.0  # seconds between two tries while Redis does not answer
Entry = tuple[str, dict[str, str]]


class Consumer:
    def __init__(
        self,
        *,
        settings: Settings,
        redis: Redis,
        connection: sqlite3.Connection,
        name: str | None = None,
    ) -> None:
        self.settings = settings
        self.redis = redis
        self.connection = connection
        self.name = name or f"{socket.gethostname()}-{os.getpid()}"
        # Nothing published yet (a fresh start): train once, even on no orders.
        self.untrained = latest_name(settings.model_dir) is None
        self.trained_at = -float("inf")
        self.claimed_at = -float("inf")

    def ensure_group(self) -> None:
        """Our consumer group, reading from the stream's start: history included."""
        try:
            self.redis.xgroup_create(
                self.settings.stream, self.settings.group, id="0", mkstream=True
            )
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):  # it exists already: fine
                raise

    def run(self, stop: threading.Event) -> None:
        """Until ``stop`` is set: reclaim, read, apply, acknowledge, retrain.

        Redis away is no reason to stop: the event in hand stays pending and is
        read again once Redis answers. A Redis restarted empty has lost our group
        too (NOGROUP): we make it again and read on.
        """
        logger.info("consuming %s as %s", self.settings.stream, self.name)
        consume(
            self.step,
            ensure_group=self.ensure_group,
            stop=stop,
            retry_seconds=RETRY,
            logger=logger,
        )
        logger.info("stopped")

    def step(self) -> None:
        """Reclaim when due, read what is new (waiting up to BLOCK_MS), retrain."""
        if monotonic() - self.claimed_at >= self.settings.claim_idle:
            self.claim_stale()
        self.read_new(block_ms=BLOCK_MS)
        self.train_if_due()

    def claim_stale(self) -> int:
        """Take over the events other consumers read but never acknowledged."""
        self.claimed_at = monotonic()
        handled, cursor = 0, "0-0"
        while True:
            cursor, entries, *_ = self.redis.xautoclaim(
                self.settings.stream,
                self.settings.group,
                self.name,
                min_idle_time=int(self.settings.claim_idle * 1000),
                start_id=cursor,
                count=BATCH,
            )
            for entry in entries:
                self.handle(entry)
            handled += len(entries)
            if cursor == "0-0":
                return handled

    def read_new(self, *, block_ms: int | None = None) -> int:
        """Read and handle the events no consumer of our group has seen yet."""
        # redis-py types its replies loosely: [[stream, [(id, fields), ...]]] here.
        answer = cast(
            list[Any],
            self.redis.xreadgroup(
                self.settings.group,
                self.name,
                {self.settings.stream: ">"},
                count=BATCH,
                block=block_ms,
            ),
        )
        entries = [entry for _, batch in answer or [] for entry in batch]
        for entry in entries:
            self.handle(entry)
        return len(entries)

    def handle(self, entry: Entry) -> None:
        """Apply one entry (once), log it with its request id, then acknowledge it."""
        entry_id, fields = entry
        token = current_request_id.set(fields.get("request_id") or "-")
        # Within the trace of the order that caused the event (its traceparent field).
        name = f"consume {fields.get('type')}"
        try:
            with continue_trace(name, fields, kind=SpanKind.CONSUMER):
                self._apply(entry_id, fields)
                # Only after the commit: a crash before this line means a redelivery,
                # which the store's event id turns into a no-op.
                self.redis.xack(self.settings.stream, self.settings.group, entry_id)
        finally:
            current_request_id.reset(token)

    def _apply(self, entry_id: str, fields: dict[str, str]) -> None:
        if fields.get("type") not in KNOWN_TYPES:
            logger.info("%s: %s is not ours to apply", entry_id, fields.get("type"))
            return
        try:
            event = event_from_entry(fields)
        except (KeyError, ValidationError) as exc:
            # Redelivering a malformed event would fail the same way forever.
            logger.error("%s: malformed event skipped: %s", entry_id, exc)
            return
        if not store.event_apply(self.connection, event=event):
            logger.info("%s %s: seen before, skipped", event.type, event.id)
            return
        learned = event.type == PAID
        self.untrained = self.untrained or learned
        logger.info(
            "%s %s (order %d, %d lines): %s",
            event.type,
            event.id,
            event.order_id,
            len(event.lines),
            "learned" if learned else "recorded, not learned",
        )

    def train_if_due(self) -> None:
        due = monotonic() - self.trained_at >= self.settings.train_interval
        if self.untrained and due:
            self.trained_at = monotonic()
            train(settings=self.settings, connection=self.connection)
            self.untrained = False


def main() -> None:
    settings = Settings()
    configure_logging(settings.log_level)
    if settings.tracing:
        start_tracing(
            f"{settings.service_name}-consumer",
            directory=settings.traces_dir,
            instrument=("redis", "sqlite3"),
        )
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        logger.info("%s: finishing the event in hand", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    redis = Redis.from_url(
        settings.redis_url,
        decode_responses=True,
        socket_connect_timeout=5,
        # Longer than a blocking read, or every quiet second would be a timeout.
        socket_timeout=BLOCK_MS / 1000 + 5,
    )
    connection = store.connect(settings.database)
    try:
        Consumer(settings=settings, redis=redis, connection=connection).run(stop)
    finally:
        connection.close()
        redis.close()


if __name__ == "__main__":
    main()
