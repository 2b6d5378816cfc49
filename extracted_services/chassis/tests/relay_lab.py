"""Outbox relays as real processes, for test_outbox_relays.py: racing, then crashing.

``python -m extracted_services.chassis.tests.relay_lab --stream S``

Under the chassis's test settings, against ``DATABASE_URL`` (a SQLite file or a
PostgreSQL database of the test's own) and the real Redis, it migrates, then runs
two experiments, each with a Redis stream of its own (``S-race``, ``S-crash``):

- race: commits ``--rows`` event rows, and starts two ``relay_outbox --once`` at
  the same instant;
- crash: ``--crashes`` times, commits three rows (and rolls one back), then runs a
  relay planned to die right after sending a row or right after claiming one
  (``OUTBOX_FAULT``, chassis/faults.py); then a healthy relay sends the rest.

It prints one JSON line saying what it did; the test reads the streams itself.

The relays are forked from this process once Django is set up, as gunicorn or a
Celery pool starts its workers: a relay starts in milliseconds, so twenty crashes
cost well under a second instead of twenty interpreter start-ups.
"""

import argparse
import io
import json
import os
import random
import signal
import sys
import time
import traceback

import django

os.environ.setdefault(
    "DJANGO_SETTINGS_MODULE", "extracted_services.chassis.tests.settings"
)
django.setup()

from django.conf import settings  # noqa: E402  (after setup, as a script must)
from django.core.management import call_command  # noqa: E402
from django.db import connections, transaction  # noqa: E402

from extracted_services.chassis import faults  # noqa: E402
from extracted_services.chassis.outbox import outbox_event_add, outbox_model  # noqa: E402

EVENT_TYPE = "lab.thing_done"
CRASH_POINTS = ("after_send", "after_claim")  # taken in turn, one per crash
DRAIN_TIMEOUT = 20.0  # seconds the last, healthy relay may take to send the rest


class Rollback(Exception):
    """Raised inside a transaction to undo it, as a failing business rule would."""


class Rows:
    """Numbers the rows it writes; remembers which committed and which did not."""

    def __init__(self, stream: str) -> None:
        self.stream = stream
        self.committed: list[int] = []
        self.rolled_back: list[int] = []

    def commit(self, count: int) -> None:
        """``count`` rows in one transaction, as one business change may write."""
        numbers = [self._next() + offset for offset in range(count)]
        with transaction.atomic():
            for n in numbers:
                outbox_event_add(
                    stream=self.stream, event_type=EVENT_TYPE, data={"n": n}
                )
        self.committed.extend(numbers)

    def roll_back(self) -> None:
        n = self._next()
        try:
            with transaction.atomic():
                outbox_event_add(
                    stream=self.stream, event_type=EVENT_TYPE, data={"n": n}
                )
                raise Rollback
        except Rollback:
            self.rolled_back.append(n)

    def summary(self) -> dict[str, object]:
        return {
            "stream": self.stream,
            "committed": self.committed,
            "rolled_back": self.rolled_back,
        }

    def _next(self) -> int:
        return len(self.committed) + len(self.rolled_back) + 1


def start_relay(
    *arguments: str, fault: str = "", go: tuple[int, int] | None = None
) -> tuple[int, int]:
    """Fork a process that runs ``relay_outbox``; return its pid and a pipe to read.

    The child waits for the pipe ``go`` to close (the start line of a race), then
    writes the command's output to the pipe and exits: 0, 1 on an error, or
    ``faults.CRASHED`` when ``fault`` made it die on purpose.
    """
    connections.close_all()  # a child must not share the parent's connection
    output_read, output_write = os.pipe()
    pid = os.fork()
    if pid:
        os.close(output_write)
        return pid, output_read
    status = 1
    try:
        if go is not None:
            os.close(go[1])  # the write end is the parent's alone to close
            os.read(go[0], 1)  # returns once the parent closes it: "go"
        settings.OUTBOX_FAULT = fault
        faults.forget()
        out = io.StringIO()
        call_command("relay_outbox", *arguments, stdout=out)
        os.write(output_write, out.getvalue().encode())
        status = 0
    except BaseException:  # any error: say it, and exit with 1
        traceback.print_exc()
    finally:
        os._exit(status)


def finish(pid: int, output: int) -> tuple[int, str]:
    """Wait for a relay to exit; return its exit status and what it printed."""
    _, status = os.waitpid(pid, 0)
    with os.fdopen(output) as pipe:
        printed = pipe.read()
    return os.waitstatus_to_exitcode(status), printed


def race(rows: Rows, count: int) -> dict:
    """Two relays start together over ``count`` rows; each says how many it sent."""
    rows.commit(count)
    go_read, go_write = os.pipe()
    relays = [start_relay("--once", go=(go_read, go_write)) for _ in range(2)]
    os.close(go_write)  # both children are waiting: let them go at once
    results = [finish(pid, output) for pid, output in relays]
    return {
        "exit_codes": [code for code, _ in results],
        "published": [printed.strip() for _, printed in results],
    }


def crash(rows: Rows, crashes: int, seed: int) -> dict:
    """Commit rows, run a relay that crashes on purpose; again; then drain."""
    pick = random.Random(seed)
    runs = []
    for number in range(crashes):
        # Committed while no relay runs: the relay that starts next must find them.
        rows.commit(3)
        rows.roll_back()
        fault = f"{CRASH_POINTS[number % 2]}:{pick.randint(1, 3)}"
        code, _ = finish(*start_relay("--once", fault=fault))
        runs.append({"fault": fault, "exit_code": code})
    # A healthy relay, running as in production, until every row is sent.
    pid, output = start_relay("--interval", "0.02")
    deadline = time.monotonic() + DRAIN_TIMEOUT
    waiting = outbox_model()._default_manager.filter(published_at__isnull=True)
    while waiting.exists() and time.monotonic() < deadline:
        time.sleep(0.05)  # the relay is another process: poll the database
    os.kill(pid, signal.SIGTERM)
    code, _ = finish(pid, output)
    return {"runs": runs, "final_exit_code": code, "unsent": waiting.count()}


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stream", required=True, help="a prefix of its own")
    parser.add_argument(
        "--rows", type=int, default=300, help="rows the relays race for"
    )
    parser.add_argument("--crashes", type=int, default=20, help="relays that crash")
    parser.add_argument("--seed", type=int, default=7, help="where each one dies")
    options = parser.parse_args(argv)
    call_command("migrate", verbosity=0)
    racing, crashing = Rows(f"{options.stream}-race"), Rows(f"{options.stream}-crash")
    result = {
        "race": race(racing, options.rows) | racing.summary(),
        "crash": crash(crashing, options.crashes, options.seed) | crashing.summary(),
    }
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
