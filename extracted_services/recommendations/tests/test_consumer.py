"""The consumer: every event at least once from the real Redis stream, applied once."""

import logging
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from extracted_services.recommendations import store
from extracted_services.recommendations.consumer import Consumer
from extracted_services.recommendations.events import FAILED, PAID
from extracted_services.recommendations.model import latest_name, load
from extracted_services.recommendations.observability import RequestIdFilter

from .conftest import DEADLINE, order_event, publish, wait_until, with_settings

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def consumer(settings, redis, connection):
    consumer = Consumer(settings=settings, redis=redis, connection=connection)
    consumer.ensure_group()
    return consumer


def pending(redis, settings) -> int:
    return redis.xpending(settings.stream, settings.group)["pending"]


def test_an_event_delivered_twice_is_applied_once(
    consumer, redis, settings, connection
):
    """The same event in the stream twice: one event, one order's lines learned."""
    event = order_event(1, [10, 20])
    publish(redis, settings.stream, event)
    publish(redis, settings.stream, event)

    assert consumer.read_new() == 2

    assert store.event_count(connection) == 1
    assert store.paid_lines(connection) == [(1, 10, 1), (1, 20, 1)]
    assert pending(redis, settings) == 0  # both entries acknowledged


def test_an_event_a_dead_consumer_never_acknowledged_is_delivered_again(
    redis, settings, connection
):
    """Read but not acknowledged (the reader died): another consumer reclaims it."""
    consumer = Consumer(
        settings=with_settings(settings, claim_idle=0),
        redis=redis,
        connection=connection,
        name="survivor",
    )
    consumer.ensure_group()
    publish(redis, settings.stream, order_event(1, [10, 20]))
    # The consumer that dies: it reads the entry and is gone before XACK.
    redis.xreadgroup(settings.group, "dead", {settings.stream: ">"}, count=10)
    assert pending(redis, settings) == 1
    assert consumer.read_new() == 0  # nothing new: the entry is the dead one's

    assert consumer.claim_stale() == 1

    assert store.event_count(connection, type=PAID) == 1
    assert pending(redis, settings) == 0


def test_a_recent_unacknowledged_event_is_left_to_its_reader(consumer, redis, settings):
    """Not idle long enough (RECOMMENDATIONS_CLAIM_IDLE): its reader may be busy."""
    publish(redis, settings.stream, order_event(1, [10]))
    redis.xreadgroup(settings.group, "busy", {settings.stream: ">"}, count=10)

    assert consumer.claim_stale() == 0
    assert pending(redis, settings) == 1


def test_failed_orders_are_recorded_but_never_learned(
    consumer, redis, settings, connection
):
    """order.failed is an applied event, and its lines teach the model nothing."""
    consumer.train_if_due()  # the first model, trained on nothing
    publish(redis, settings.stream, order_event(1, [10, 20], type=FAILED))

    consumer.read_new()

    assert store.event_count(connection, type=FAILED) == 1
    assert store.paid_lines(connection) == []
    assert not consumer.untrained  # nothing new to train on


def test_a_new_group_reads_the_stream_from_its_start(redis, settings, connection):
    """Events published before the subscriber existed are read too: history."""
    publish(redis, settings.stream, order_event(1, [10, 20]))
    consumer = Consumer(settings=settings, redis=redis, connection=connection)
    consumer.ensure_group()

    assert consumer.read_new() == 1


def test_a_malformed_or_unknown_event_is_acknowledged_and_skipped(
    consumer, redis, settings, connection
):
    """A payload that will never parse must not come back forever."""
    redis.xadd(settings.stream, {"type": PAID, "id": "x", "payload": "{not json"})
    redis.xadd(settings.stream, {"type": "order.shipped", "id": "y", "payload": "{}"})

    assert consumer.read_new() == 2

    assert store.event_count(connection) == 0
    assert pending(redis, settings) == 0


def test_paid_orders_retrain_the_model(consumer, redis, settings):
    """After paid orders buying 10 with 20, the published model ranks 20 first."""
    for order_id in (1, 2):
        publish(redis, settings.stream, order_event(order_id, [10, 20]))
    publish(redis, settings.stream, order_event(3, [10, 30]))

    consumer.read_new()
    consumer.train_if_due()

    model = load(settings.model_dir / latest_name(settings.model_dir))
    assert model.orders_seen == 3
    assert model.recommend(product_id=10, limit=4)[1][0][0] == 20


def test_each_event_is_logged_with_its_request_id(consumer, redis, settings, caplog):
    """The request that placed the order is named in the consumer's log line."""
    caplog.handler.addFilter(RequestIdFilter())
    event = order_event(42, [10, 20])
    publish(redis, settings.stream, event, request_id="req-abc-123")

    with caplog.at_level(logging.INFO, logger="extracted_services.recommendations"):
        consumer.read_new()

    lines = [r for r in caplog.records if event["id"] in r.getMessage()]
    assert [r.request_id for r in lines] == ["req-abc-123"]
    assert "order 42" in lines[0].getMessage()


def test_the_consumer_command_stops_cleanly_on_sigterm(settings, redis, tmp_path):
    """`python -m ...consumer` applies what arrives, and exits 0 on SIGTERM."""
    env = {
        **os.environ,
        "RECOMMENDATIONS_DATABASE": str(settings.database),
        "RECOMMENDATIONS_MODEL_DIR": str(settings.model_dir),
        "ORDER_EVENTS_STREAM": settings.stream,
        "REDIS_URL": settings.redis_url,
        "RECOMMENDATIONS_TRAIN_INTERVAL": "0",
    }
    log = tmp_path / "consumer.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "extracted_services.recommendations.consumer"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            publish(redis, settings.stream, order_event(1, [10, 20]), request_id="r-1")
            assert wait_until(lambda: latest_name(settings.model_dir) is not None)
            assert wait_until(lambda: "learned" in log.read_text())
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=DEADLINE) == 0
        finally:
            process.kill()
            process.wait()
    text = log.read_text()
    assert "[r-1] extracted_services.recommendations.consumer: order.paid" in text
    assert text.rstrip().endswith("stopped")


def test_a_group_lost_with_redis_data_is_made_again(settings, redis):
    """A Redis restarted empty has lost the stream and our group (NOGROUP): the
    running consumer makes the group again and applies what is published next."""
    stop = threading.Event()

    def consume() -> None:
        connection = store.connect(settings.database)
        Consumer(settings=settings, redis=redis, connection=connection).run(stop)
        connection.close()

    running = threading.Thread(target=consume)
    running.start()
    reader = store.connect(settings.database)
    try:
        publish(redis, settings.stream, order_event(1, [10]))
        assert wait_until(lambda: store.event_count(reader) == 1)
        redis.delete(settings.stream)  # the stream and its groups: what is left

        publish(redis, settings.stream, order_event(2, [20]))

        assert wait_until(lambda: store.event_count(reader) == 2)
    finally:
        stop.set()
        running.join()
        reader.close()
