"""Lab 10: a consumer that was stopped catches up on every event it missed.

The reports consumer (``flask --app extracted_services.reports.app reports consume``)
runs as a real process on a Redis of its own. It is stopped, orders are paid
meanwhile (their ``order.paid`` events wait in the stream, counted as the consumer
group's lag), and once started again it loads each of them, once. `make run`'s
supervisor restarts a consumer that stops, so the lab checks this story here, on
processes the test starts, never on a stack that others share.
"""

import json
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis import Redis

from extracted_services.chassis.asyncapi import stream_entry_validate
from tests.harness.processes import Process, wait_until
from tests.harness.servers import BIN, ROOT, redis_server

STREAM = "lab10-order-events"
GROUP = "reports"  # the consumer group the reports service names after itself
DEADLINE = 20  # seconds for a consumer to start and load what waits for it
FLASK = [str(BIN / "flask"), "--app", "extracted_services.reports.app"]


def order_paid(order_id: int) -> dict[str, str]:
    """A stream entry as the orders service's relay writes it (docs/api/asyncapi.yaml):
    one line, two units of product 3 at 19.99."""
    event_id = str(uuid.uuid4())
    payload = {
        "id": event_id,
        "type": "order.paid",
        "occurred_at": "2026-11-22T10:00:00Z",
        "order_id": order_id,
        "user_id": 7,
        "lines": [
            {"product_id": 3, "category": "books", "quantity": 2, "unit_price": "19.99"}
        ],
        "total": "39.98",
        "currency": "EUR",
    }
    fields = {
        "type": "order.paid",
        "id": event_id,
        "payload": json.dumps(payload),
        "request_id": f"lab10-{order_id}",
    }
    stream_entry_validate(fields)  # what the consumer gets is what the document says
    return fields


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[Redis]:
    """A private redis-server: nothing the test does reaches another's stream."""
    server, url = redis_server("redis", tmp_path)
    try:
        with Redis.from_url(url, decode_responses=True) as client:
            yield client
    finally:
        server.stop()


@pytest.fixture
def reports_env(redis: Redis, tmp_path: Path) -> dict[str, str]:
    """The consumer's environment, and its database migrated as `make run` does."""
    kwargs = redis.connection_pool.connection_kwargs
    env = {
        "PATH": str(BIN),
        "REDIS_URL": f"redis://{kwargs['host']}:{kwargs['port']}/0",
        "ORDER_EVENTS_STREAM": STREAM,
        "REPORTS_DATABASE_URL": f"sqlite:///{tmp_path / 'reports.sqlite3'}",
        "REPORTS_READ_BLOCK_SECONDS": "0.2",
    }
    upgrade = Process(
        "flask-db-upgrade", [*FLASK, "db", "upgrade"],
        env=env, cwd=ROOT, log=tmp_path / "upgrade.log",
    )  # fmt: skip
    assert upgrade.popen.wait(timeout=DEADLINE) == 0, upgrade.log.read_text()
    upgrade.stop()
    return env


def consumer(env: dict[str, str], tmp_path: Path) -> Process:
    """Start the reports consumer, as compose/Procfile's ``reports-consumer`` line."""
    return Process(
        "reports-consumer", [*FLASK, "reports", "consume"],
        env=env, cwd=ROOT, log=tmp_path / "consumer.log", append=True,
    )  # fmt: skip


def orders_loaded(env: dict[str, str]) -> int:
    """How many orders the report counts: the reports database, read-only."""
    path = env["REPORTS_DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        (count,) = connection.execute(
            "SELECT COUNT(DISTINCT order_id) FROM sales_line"
        ).fetchone()
    return count


def lag(redis: Redis) -> int:
    """Entries of the stream that the reports group has not read yet."""
    (group,) = redis.xinfo_groups(STREAM)
    return group["lag"]


def test_a_stopped_consumer_catches_up_on_the_orders_paid_meanwhile(
    redis, reports_env, tmp_path
):
    """Stopped, it misses nothing: started again, it loads every order, each once."""
    running = consumer(reports_env, tmp_path)
    redis.xadd(STREAM, order_paid(1))
    wait_until(lambda: orders_loaded(reports_env) == 1, timeout=DEADLINE,
               what="order 1 in the report", watch=[running])  # fmt: skip

    running.stop()  # SIGTERM: it finishes the event in hand, then exits
    for order_id in (2, 3, 4):
        redis.xadd(STREAM, order_paid(order_id))
    assert lag(redis) == 3
    assert orders_loaded(reports_env) == 1  # the report lags behind the orders

    running = consumer(reports_env, tmp_path)
    try:
        wait_until(lambda: lag(redis) == 0 and orders_loaded(reports_env) == 4,
                   timeout=DEADLINE, what="the consumer to catch up",
                   watch=[running])  # fmt: skip
    finally:
        running.stop()

    assert redis.xpending(STREAM, GROUP)["pending"] == 0  # each one acknowledged
    log = (tmp_path / "consumer.log").read_text()
    assert log.count("applied order.paid") == 4, log  # once each, no repeats
