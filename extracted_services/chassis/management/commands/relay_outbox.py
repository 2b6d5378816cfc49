"""``manage.py relay_outbox``: publish this service's outbox, until stopped."""

import logging
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from extracted_services.chassis import heartbeats
from extracted_services.chassis.chores import ChoreClock, run_chores
from extracted_services.chassis.outbox import outbox_relay_once, relay_heartbeat_name

logger = logging.getLogger(__name__)
RETRY_PAUSE = 1.0  # seconds to wait when the database or the broker is down


class Command(BaseCommand):
    help = (
        "Publish committed outbox messages (commands to Celery, events to Redis "
        "streams), oldest first, polling every --interval seconds until SIGTERM or "
        "Ctrl-C (or once, with --once). Runs the chores in OUTBOX_RELAY_CHORES every "
        "OUTBOX_CHORE_SECONDS, and writes a heartbeat that /readyz reads."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=float,
            default=None,
            help="seconds between polls when the outbox is empty (default: "
            "OUTBOX_RELAY_INTERVAL, 1 s behind the send after commit, else 0.1 s)",
        )
        parser.add_argument(
            "--once",
            action="store_true",
            help="publish everything that is due, run the chores once, then exit",
        )

    def handle(self, *args, interval: float | None, once: bool, **options):
        if interval is None:
            interval = settings.OUTBOX_RELAY_INTERVAL
        if once:
            sent = self._drain()
            run_chores()
            self.stdout.write(f"published {sent} message(s)")
            return
        stopping = threading.Event()
        # Finish the message in hand, then stop: a kill mid-send would only re-send
        # it (at-least-once), but a clean stop is what a deploy should see.
        previous = {
            signum: signal.signal(signum, lambda *_: stopping.set())
            for signum in (signal.SIGTERM, signal.SIGINT)
        }
        # Alive, as a worker says it (heartbeats.py): a thread of this process, so a
        # killed relay stops beating and /readyz turns 503 within the key's TTL.
        beating = threading.Thread(
            target=heartbeats.beat,
            args=([relay_heartbeat_name()],),
            kwargs={"stop": stopping},
            name="relay-heartbeat",
            daemon=True,
        )
        beating.start()
        self.stdout.write(f"relaying the outbox every {interval}s; Ctrl-C stops")
        try:
            self._loop(stopping, interval)
        finally:
            stopping.set()
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        self.stdout.write("relay stopped")

    def _drain(self) -> int:
        """Run batches until one sends nothing: everything due has gone."""
        total = 0
        while sent := outbox_relay_once():
            total += sent
        return total

    def _loop(self, stopping: threading.Event, interval: float) -> None:
        chores = ChoreClock()
        while not stopping.is_set():
            if chores.due():
                run_chores()  # each chore's error is logged there; never raises
            try:
                sent = outbox_relay_once()
            except Exception:  # the broker or database is down: keep trying
                logger.exception("relay failed; trying again in %ss", RETRY_PAUSE)
                stopping.wait(RETRY_PAUSE)
                continue
            if sent == 0:  # after a batch, more may be waiting: go again at once
                stopping.wait(interval)
