"""Extract, transform, load: the consumer applies each order event once."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from extracted_services.chassis.asyncapi import stream_entry_validate
from extracted_services.reports.consumer import rebuild_from_stream
from extracted_services.reports.extensions import db
from extracted_services.reports.models import ProcessedEvent, SalesLine
from extracted_services.reports.observability import current_request_id
from extracted_services.reports.pipeline import parse_entry
from extracted_services.reports.selectors import sales_report

from .conftest import REDIS_URL, make_consumer, order_event

ROOT = Path(__file__).resolve().parents[3]
DEADLINE = 20  # seconds for a real consumer process to start and apply an event


def totals(group: str) -> list[tuple[str, int, int, str]]:
    from datetime import date

    rows = sales_report(start=date(2026, 1, 1), end=date(2026, 12, 31), group=group)
    return [(r.key, r.orders, r.units, str(r.revenue)) for r in rows]


def test_a_paid_order_becomes_one_sales_line_per_order_line(app, redis, stream):
    """Each line of a paid order is a sales line: day, order, product, category."""
    redis.xadd(
        stream,
        order_event(
            order_id=1, lines=[(3, "books", 2, "19.99"), (4, "music", 1, "5.00")]
        ),
    )

    assert make_consumer(redis, stream).step() == 1

    lines = db.session.scalars(
        db.select(SalesLine).order_by(SalesLine.product_id)
    ).all()
    assert [
        (line.product_id, line.category, line.units, line.revenue_cents)
        for line in lines
    ] == [
        (3, "books", 2, 3998),
        (4, "music", 1, 500),
    ]
    assert {line.day.isoformat() for line in lines} == {"2026-11-22"}


def test_an_event_delivered_twice_is_counted_once(app, redis, stream):
    """The same event in the stream twice (a relay that published, crashed, and
    published again) adds its lines once."""
    fields = order_event(order_id=1, lines=[(3, "books", 2, "19.99")])
    redis.xadd(stream, fields)
    redis.xadd(stream, fields)

    assert make_consumer(redis, stream).step() == 2

    assert totals("product") == [("3", 1, 2, "39.98")]
    assert db.session.query(ProcessedEvent).count() == 1


def test_failed_orders_are_processed_but_add_no_sales(app, redis, stream):
    """order.failed is recorded as processed; only order.paid counts."""
    redis.xadd(
        stream,
        order_event(order_id=1, type="order.failed", lines=[(3, "books", 1, "9.00")]),
    )

    make_consumer(redis, stream).step()

    assert totals("day") == []
    assert db.session.query(ProcessedEvent).count() == 1


def test_a_consumer_killed_before_acknowledging_gets_the_event_again(
    app, redis, stream
):
    """An entry read but never acknowledged (its consumer died) is taken over by
    another consumer with XAUTOCLAIM, applied, and acknowledged."""
    redis.xadd(stream, order_event(order_id=1, lines=[(3, "books", 1, "10.00")]))
    dying = make_consumer(redis, stream, name="dying")
    dying.ensure_group()
    assert len(dying.read()) == 1  # ...and then it dies, before apply and XACK
    assert totals("day") == []

    survivor = make_consumer(redis, stream, name="survivor")
    deadline = time.monotonic() + 5
    while survivor.reclaim() == 0:  # the entry must first sit idle for 50 ms
        assert time.monotonic() < deadline, "the entry was never reclaimed"

    assert totals("day") == [("2026-11-22", 1, 1, "10.00")]
    assert redis.xpending(stream, "reports")["pending"] == 0


def test_rebuilding_from_the_stream_gives_the_same_totals(app, redis, stream):
    """Drop everything and read the stream from its first entry: same figures."""
    redis.xadd(stream, order_event(order_id=1, lines=[(3, "books", 2, "19.99")]))
    redis.xadd(
        stream,
        order_event(
            order_id=2,
            lines=[(3, "books", 1, "19.99"), (5, "toys", 3, "2.50")],
            occurred_at="2026-11-23T23:59:59+00:00",
        ),
    )
    redis.xadd(
        stream,
        order_event(order_id=3, type="order.failed", lines=[(5, "toys", 9, "2.50")]),
    )
    make_consumer(redis, stream).step()
    before = {group: totals(group) for group in ("day", "category", "product")}

    assert rebuild_from_stream(redis=redis, stream=stream) == 3

    assert {group: totals(group) for group in before} == before
    assert before["category"] == [("books", 2, 3, "59.97"), ("toys", 1, 3, "7.50")]


def test_a_malformed_entry_is_acknowledged_and_skipped(app, redis, stream):
    """An entry that can never be applied does not come back forever."""
    redis.xadd(stream, {"type": "order.paid", "id": "x", "payload": "{not json"})

    assert make_consumer(redis, stream).step() == 1

    assert redis.xpending(stream, "reports")["pending"] == 0
    assert db.session.query(ProcessedEvent).count() == 0


def test_each_event_is_applied_under_its_request_id(app, redis, stream):
    """While an event is applied, its request id is the one every log line names."""
    seen = []
    consumer = make_consumer(redis, stream)
    consumer.apply = lambda event: seen.append(current_request_id.get()) or True
    redis.xadd(stream, order_event(order_id=42, lines=[(3, "books", 1, "1.00")]))

    consumer.step()

    assert seen == ["req-42"]
    assert current_request_id.get() == "-"


def test_the_entry_fields_carry_the_whole_event(app):
    """The payload is parsed into the event the transform reads."""
    event = parse_entry(
        order_event(
            order_id=9,
            lines=[(1, "books", 1, "1.00")],
            occurred_at="2026-11-22T23:30:00-02:00",
        )
    )

    assert event.order_id == 9
    assert event.day.isoformat() == "2026-11-23"  # UTC days


def test_the_consume_command_applies_events_and_stops_on_sigterm(
    app, redis, stream, tmp_path
):
    """`flask reports consume` is a real process: it applies an event, logs it with
    the event's request id, and exits cleanly on SIGTERM."""
    env = {
        **os.environ,
        "REPORTS_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": REDIS_URL,
        "ORDER_EVENTS_STREAM": stream,
        "REPORTS_READ_BLOCK_SECONDS": "0.2",
    }
    argv = [
        sys.executable,
        "-m",
        "flask",
        "--app",
        "extracted_services.reports.app",
        "reports",
        "consume",
    ]
    log = tmp_path / "consumer.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
        try:
            redis.xadd(
                stream, order_event(order_id=77, lines=[(3, "books", 1, "1.00")])
            )
            deadline = time.monotonic() + DEADLINE
            while "applied order.paid" not in log.read_text():
                assert process.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.1)
        finally:
            process.send_signal(signal.SIGTERM)
            code = process.wait(timeout=DEADLINE)

    assert code == 0, log.read_text()
    assert (
        "[req-77] extracted_services.reports.consumer: applied order.paid"
        in log.read_text()
    )
    db.session.rollback()  # see the other process's commit
    assert totals("day") == [("2026-11-22", 1, 1, "1.00")]


@pytest.mark.parametrize("type", ["order.paid", "order.failed"])
def test_the_events_these_tests_publish_are_the_documented_ones(type):
    """The entries above are what docs/api/asyncapi.yaml says orders publishes, so
    what the consumer is tested on is what it will receive."""
    fields = order_event(order_id=5, type=type, lines=[(3, "books", 2, "19.99")])

    event = stream_entry_validate(fields)

    assert event["type"] == type


def test_a_group_lost_with_redis_data_is_made_again(app, redis, stream):
    """A Redis restarted empty has lost the stream and our group (NOGROUP): the
    running consumer makes the group again and applies what is published next."""
    consumer = make_consumer(redis, stream)
    stop = threading.Event()

    def consume() -> None:
        with app.app_context():  # its own session, as the consume command has
            consumer.run(stop)

    def processed() -> int:
        db.session.rollback()  # see the consumer's commits
        count = db.session.query(ProcessedEvent).count()
        db.session.rollback()  # and hold no lock on SQLite while it writes
        return count

    running = threading.Thread(target=consume)
    running.start()
    try:
        redis.xadd(stream, order_event(order_id=1, lines=[(3, "books", 1, "1.00")]))
        assert _within_deadline(lambda: processed() == 1)
        redis.delete(stream)  # the stream and its groups: what is left

        redis.xadd(stream, order_event(order_id=2, lines=[(3, "books", 1, "1.00")]))

        assert _within_deadline(lambda: processed() == 2)
    finally:
        stop.set()
        running.join()


def _within_deadline(condition) -> bool:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True
