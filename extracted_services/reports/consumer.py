"""Extract: read the orders' event stream through our own consumer group.

At least once, applied once: each entry is applied (``pipeline.apply_event``, which
skips an event id it has seen) and only then acknowledged (XACK). An entry whose
consumer died before acknowledging it stays pending; at start and every
``claim_every`` seconds we take over entries idle longer than ``claim_idle``
(XAUTOCLAIM) and apply them, so nothing is lost and nothing counts twice.
"""

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from opentelemetry.trace import SpanKind
from redis import Redis
from redis.exceptions import ResponseError

from extracted_services.chassis.streams import consume
from extracted_services.chassis.tracing import continue_trace

from .extensions import db
from .models import ProcessedEvent, SalesLine
from .observability import accept_or_new, current_request_id
from .pipeline import MalformedEvent, OrderEvent, apply_event, load_event, parse_entry

logger = logging.getLogger(__name__)

Entry = tuple[str, dict[str, str]]
BATCH = 100
RETRY_SECONDS = 2.0


@dataclass
class StreamConsumer:
    redis: Redis
    stream: str
    group: str
    name: str
    claim_idle: float = 30.0  # seconds an entry waits before another takes it over
    block: float = 2.0  # seconds one read waits for new entries
    apply: Callable[[OrderEvent], bool] = apply_event
    _last_claim: float = field(default=float("-inf"), init=False)

    def ensure_group(self) -> None:
        """Our group, made from the stream's first entry, so we read all history."""
        try:
            self.redis.xgroup_create(self.stream, self.group, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    def run(self, stop: threading.Event) -> None:
        """Consume until ``stop`` is set (SIGTERM), finishing the entry in hand.

        Redis away is no reason to stop, and a Redis restarted empty has lost our
        group with its data (NOGROUP): we make it again and read on.
        """
        logger.info("consuming %s as %s/%s", self.stream, self.group, self.name)
        consume(
            self.step,
            ensure_group=self.ensure_group,
            stop=stop,
            retry_seconds=RETRY_SECONDS,
            logger=logger,
        )
        logger.info("stopped consuming %s", self.stream)

    def step(self) -> int:
        """Reclaim when due, then read and handle one batch; how many were handled."""
        handled = 0
        if time.monotonic() - self._last_claim >= self.claim_idle / 2:
            handled += self.reclaim()
        for entry in self.read():
            self.handle(entry)
            handled += 1
        return handled

    def read(self) -> list[Entry]:
        """New entries for this consumer, waiting up to ``block`` seconds."""
        answer: Any = self.redis.xreadgroup(
            self.group,
            self.name,
            {self.stream: ">"},
            count=BATCH,
            block=int(self.block * 1000),
        )
        return [entry for _stream, entries in answer or [] for entry in entries]

    def reclaim(self) -> int:
        """Take over and handle entries other consumers left unacknowledged."""
        self._last_claim = time.monotonic()
        handled, cursor = 0, "0-0"
        while True:
            cursor, entries, *_deleted = self.redis.xautoclaim(
                self.stream,
                self.group,
                self.name,
                min_idle_time=int(self.claim_idle * 1000),
                start_id=cursor,
                count=BATCH,
            )
            for entry in entries:
                logger.info("reclaimed %s from a silent consumer", entry[0])
                self.handle(entry)
                handled += 1
            if cursor in ("0-0", b"0-0"):
                return handled

    def handle(self, entry: Entry) -> None:
        """Apply one entry, under its request id, then acknowledge it."""
        entry_id, fields = entry
        token = current_request_id.set(accept_or_new(fields.get("request_id")))
        # Within the trace of the order that caused the event (its traceparent field).
        span = continue_trace(
            f"consume {fields.get('type')}", fields, kind=SpanKind.CONSUMER
        )
        try:
            with span:
                self._apply_entry(entry_id, fields)
                # Only now: had we died above, the entry would be delivered again.
                self.redis.xack(self.stream, self.group, entry_id)
        finally:
            current_request_id.reset(token)

    def _apply_entry(self, entry_id: str, fields: dict[str, str]) -> None:
        try:
            event = parse_entry(fields)
        except MalformedEvent as exc:
            # It can never be applied: say so and let it go, or it would return
            # forever. (A larger system would park it in a dead-letter stream.)
            logger.error("skipped malformed entry %s: %s", entry_id, exc)
            return
        applied = self.apply(event)
        verb = "applied" if applied else "already applied, skipped"
        logger.info(
            "%s %s %s (order %s, entry %s)",
            verb,
            event.type,
            event.id,
            event.order_id,
            entry_id,
        )


def rebuild_from_stream(*, redis: Redis, stream: str) -> int:
    """Drop everything loaded and load the whole stream again, from its first entry.

    One transaction: readers see the old figures until the new ones are complete,
    and a consumer running beside us waits for the commit, then skips (by event id)
    what we loaded. Returns how many events were applied.
    """
    db.session.execute(db.delete(SalesLine))
    db.session.execute(db.delete(ProcessedEvent))
    applied, start = 0, "-"
    try:
        while entries := cast(
            list[Entry], redis.xrange(stream, min=start, count=BATCH)
        ):
            for entry_id, fields in entries:
                try:
                    applied += load_event(parse_entry(fields))
                except MalformedEvent as exc:
                    logger.error("skipped malformed entry %s: %s", entry_id, exc)
            start = f"({entries[-1][0]}"  # exclusive: after the last one read
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return applied
