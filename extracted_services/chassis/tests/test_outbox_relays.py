"""Real relay processes: two at once send each row once; crashes lose nothing.

One run of ``relay_lab`` per database (SQLite, and PostgreSQL when one answers):
it races two relays over 300 rows, then crashes a relay twenty times between
claiming, sending and marking rows. The test reads what reached the real Redis
streams and applies it as an idempotent consumer would: by effects, not deliveries.
"""

import json
import os
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import Iterator

import psycopg
import pytest
from django.conf import settings
from psycopg import sql
from redis import Redis

from extracted_services.chassis.faults import CRASHED
from extracted_services.chassis.settings import REPO_DIR
from tests.harness.databases import postgres_database, postgres_unavailable

from . import relay_lab

ROWS = 300
CRASHES = 20
LAB_TIMEOUT = 120.0  # seconds: a loaded CI machine, PostgreSQL's migrations


def run_lab(database_url: str) -> dict:
    """Run relay_lab against ``database_url``; return its report and the streams."""
    stream = f"chassis-test-relays-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "extracted_services.chassis.tests.settings",
        "DATABASE_URL": database_url,
        "KEYS_DIR": str(settings.KEYS_DIR),  # this run's keys: none to make
        "REDIS_URL": settings.REDIS_URL,
        "OUTBOX_LEASE_SECONDS": "1",  # a crashed relay's claim runs out quickly
        # The rows are the relays' to send: the writer's own send after commit
        # (chassis/outbox.py) would leave them nothing to race or crash over.
        "OUTBOX_PUBLISH_ON_COMMIT": "false",
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", relay_lab.__name__, "--stream", stream]
    command += ["--rows", str(ROWS), "--crashes", str(CRASHES)]
    redis = Redis.from_url(settings.REDIS_URL, decode_responses=True)
    try:
        done = subprocess.run(
            command,
            cwd=REPO_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=LAB_TIMEOUT,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        report = json.loads(done.stdout.splitlines()[-1])
        for part in report.values():
            part["entries"] = redis.xrange(part["stream"])
        return report
    finally:
        redis.delete(f"{stream}-race", f"{stream}-crash")
        redis.close()


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def lab(request, tmp_path_factory) -> Iterator[dict]:
    """The lab's report on one database, shared by every test below."""
    if request.param == "sqlite":
        folder = tmp_path_factory.mktemp("relays")
        yield run_lab(f"sqlite:///{folder / 'outbox.sqlite3'}")
        return
    if reason := postgres_unavailable():
        pytest.skip(reason)
    with postgres_database("chassis_relays") as url:
        # Commits that do not wait for the disk: a process crash loses none of
        # them (only the machine's would), and CI's disk is slow.
        with psycopg.connect(url, autocommit=True) as connection:
            name = sql.Identifier(connection.info.dbname)
            connection.execute(
                sql.SQL("ALTER DATABASE {} SET synchronous_commit = off").format(name)
            )
        yield run_lab(url)


def applied(entries: list[tuple[str, dict[str, str]]]) -> Counter[int]:
    """What an idempotent consumer does: each event id once, however often it came."""
    seen: set[str] = set()
    effects: Counter[int] = Counter()
    for _, fields in entries:
        if fields["id"] in seen:
            continue  # a repeat: already applied
        seen.add(fields["id"])
        effects[json.loads(fields["payload"])["n"]] += 1
    return effects


def test_two_relays_at_once_send_each_row_exactly_once(lab):
    """300 rows, two relays started together: 300 entries, each row's once."""
    race = lab["race"]

    assert race["exit_codes"] == [0, 0]
    assert len(race["entries"]) == ROWS
    assert applied(race["entries"]) == Counter(race["committed"])


def test_the_relays_together_sent_every_row_once(lab):
    """Between them, the two relays sent each row once.

    How the rows split between them is up to the scheduler: on a busy machine one
    relay may send all 300 before the other starts, so the split is not asserted
    (the in-process claim tests race the two claims deterministically).
    """
    counts = [int(line.split()[1]) for line in lab["race"]["published"]]

    assert len(counts) == 2
    assert sum(counts) == ROWS


def test_every_relay_died_where_it_was_told(lab):
    """Twenty planned crashes, half after a send, half after a claim."""
    runs = lab["crash"]["runs"]

    assert [run["exit_code"] for run in runs] == [CRASHED] * CRASHES
    points = Counter(run["fault"].partition(":")[0] for run in runs)
    assert points == {"after_send": CRASHES // 2, "after_claim": CRASHES // 2}
    assert lab["crash"]["final_exit_code"] == 0


def test_crashes_lose_no_committed_row_and_apply_each_once(lab):
    """Every committed row arrives and takes effect once; no rolled-back row does."""
    crash = lab["crash"]

    effects = applied(crash["entries"])

    assert crash["unsent"] == 0
    assert effects == Counter(crash["committed"])
    assert not set(effects) & set(crash["rolled_back"])


def test_a_crash_after_sending_sends_that_row_again(lab):
    """At least once: each relay that died after a send, before marking it, left
    one row that the next relay sent again; a crash after a claim sent nothing."""
    crash = lab["crash"]
    crashed_after_send = sum(
        run["fault"].startswith("after_send") for run in crash["runs"]
    )

    repeats = len(crash["entries"]) - len(crash["committed"])

    assert repeats == crashed_after_send
