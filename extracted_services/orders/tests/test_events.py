"""Order events: order.paid and order.failed, published through the outbox, once each.

The relay's stream_add is a recorder (conftest ``events``) that checks every entry
against docs/api/asyncapi.yaml; the last test adds to a real Redis stream of its own.
"""

import json
import uuid

import pytest
from django.db import DatabaseError
from redis import Redis

from extracted_services.chassis import events as chassis_events
from extracted_services.chassis import outbox
from extracted_services.chassis.asyncapi import stream_entry_validate
from extracted_services.orders.messages import ORDER_FAILED, ORDER_PAID
from extracted_services.orders.models import Order, OutboxMessage
from extracted_services.orders.services import order_payment_record, order_place

from .conftest import TEAPOT

pytestmark = pytest.mark.django_db

APPROVED = {"status": "approved", "card_last4": "4242"}
DECLINED = {
    "status": "declined",
    "card_last4": "0002",
    "failure_reason": "card_declined",
}


@pytest.fixture
def pending_order(place_kwargs, catalog, relay):
    """Two teapots (kitchen, 12.50) reserved; the charge already sent."""
    order = order_place(**place_kwargs).order
    relay()
    return order


@pytest.mark.parametrize(
    ("answer", "event_type"), [(APPROVED, ORDER_PAID), (DECLINED, ORDER_FAILED)]
)
def test_a_final_order_publishes_its_event(
    pending_order, relay, events, settings, answer, event_type
):
    """The whole event, on the configured stream, with the lines' snapshot."""
    settings.ORDER_EVENTS_STREAM = "order-events-under-test"

    order_payment_record(order_id=pending_order.pk, **answer)
    relay()

    [published] = events
    assert published.stream == "order-events-under-test"
    event = published.event
    uuid.UUID(event.pop("id"))  # a UUID string
    assert event.pop("occurred_at").endswith("Z")
    assert event == {
        "type": event_type,
        "order_id": pending_order.pk,
        "user_id": pending_order.user_id,
        "lines": [
            {
                "product_id": TEAPOT,
                "category": "kitchen",
                "quantity": 2,
                "unit_price": "12.50",
            }
        ],
        "total": "25.00",
        "currency": "EUR",
    }
    assert published.fields["type"] == event_type


def test_the_event_is_written_with_the_status_change(pending_order, events):
    """Nothing is published before the relay runs: the row waits, like a command."""
    order_payment_record(order_id=pending_order.pk, **APPROVED)

    row = OutboxMessage.objects.get(kind=OutboxMessage.Kind.EVENT)
    assert (row.task_name, row.published_at) == (ORDER_PAID, None)
    assert row.payload["order_id"] == pending_order.pk
    assert events == []


def test_no_event_when_the_status_change_rolls_back(pending_order, monkeypatch):
    """Published if and only if the change committed: a failed save writes nothing."""

    def broken(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(Order, "save", broken)

    with pytest.raises(DatabaseError):
        order_payment_record(order_id=pending_order.pk, **APPROVED)

    assert not OutboxMessage.objects.filter(kind=OutboxMessage.Kind.EVENT).exists()


def test_a_repeated_answer_publishes_no_second_event(pending_order, relay, events):
    """The second delivery changes nothing, so it announces nothing."""
    order_payment_record(order_id=pending_order.pk, **DECLINED)
    order_payment_record(order_id=pending_order.pk, **DECLINED)
    relay()

    assert [published.event["type"] for published in events] == [ORDER_FAILED]


def test_a_relay_retry_publishes_the_same_event_id(
    pending_order, relay, events, monkeypatch
):
    """The id is made when the row is written: a re-sent event can be dropped."""
    order_payment_record(order_id=pending_order.pk, **APPROVED)
    recorder = outbox.stream_add

    def add_then_crash(stream, *, fields):
        recorder(stream, fields=fields)
        raise ConnectionError("the relay dies before it marks the row")

    monkeypatch.setattr(outbox, "stream_add", add_then_crash)
    with pytest.raises(ConnectionError):
        relay()
    monkeypatch.setattr(outbox, "stream_add", recorder)
    relay()

    first, second = events
    assert first.fields == second.fields
    assert first.event["id"] == second.event["id"]


def test_the_relay_adds_the_event_to_a_real_redis_stream(
    pending_order, settings, monkeypatch
):
    """XADD with the agreed fields: type, id, payload (JSON text), request_id."""
    stream = f"orders-test-events-{uuid.uuid4().hex}"  # a stream of its own
    settings.ORDER_EVENTS_STREAM = stream
    monkeypatch.setattr(outbox, "stream_add", chassis_events.stream_add)
    order_payment_record(order_id=pending_order.pk, **APPROVED)
    redis = Redis.from_url(settings.REDIS_URL, decode_responses=True)
    try:
        outbox.outbox_relay_once()

        [(_entry_id, fields)] = redis.xrange(stream)
    finally:
        redis.delete(stream)
        redis.close()
    event = stream_entry_validate(fields)  # what a subscriber reads, as documented
    assert sorted(fields) == ["id", "payload", "request_id", "type"]
    assert (fields["type"], fields["id"]) == (ORDER_PAID, event["id"])
    assert json.loads(fields["payload"])["order_id"] == pending_order.pk
