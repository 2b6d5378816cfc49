"""order_place as a saga: reserve at catalog, then the order and its outbox row at once.

The monolith's tests/monolith/orders/test_services.py, told again: what was one
transaction is an HTTP request to catalog (here a stand-in on a loopback port), one
local transaction, and a message that the outbox relay sends after the commit.
"""

import json
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError

from extracted_services.chassis.problems import ServiceUnavailable
from extracted_services.orders.clients.catalog import OutOfStock, UnknownProducts
from extracted_services.orders.messages import PAYMENTS_CHARGE, STOCK_RELEASE
from extracted_services.orders.models import (
    IdempotencyKey,
    Order,
    OutboxMessage,
    PlacementAttempt,
)
from extracted_services.orders.services import (
    EMPTY_ORDER,
    INVALID_CARD_NUMBER,
    MAX_LINES,
    QUANTITY_OUT_OF_RANGE,
    SHIPPING_REQUIRED,
    TOO_MANY_LINES,
    IdempotencyKeyReused,
    order_place,
    placement,
)

from .conftest import APPROVED_CARD, TEAPOT

pytestmark = pytest.mark.django_db


def test_the_order_is_recorded_pending_with_a_snapshot_of_its_lines(
    place_kwargs, catalog
):
    """Name and price as catalog reserved them; the stock is taken at catalog."""
    placement_ = order_place(**place_kwargs)

    order = Order.objects.get(pk=placement_.order.pk)
    assert placement_.created is True
    assert order.status == Order.Status.PENDING
    assert order.payment is None
    assert (order.total, order.currency) == (Decimal("25.00"), "EUR")
    assert (order.shipping_name, order.shipping_address) == (
        "Ada Lovelace",
        "12 St James's Square\nLondon",
    )
    line = order.lines.get()
    assert (line.product_id, line.name, line.unit_price, line.quantity) == (
        TEAPOT,
        "Teapot",
        Decimal("12.50"),
        2,
    )
    assert catalog.stock(TEAPOT) == 3


def test_catalog_is_asked_with_the_orders_reference_and_a_service_token(
    place_kwargs, catalog
):
    """One reservation request, known by the order's ``order_ref``, from "orders"."""
    order = order_place(**place_kwargs).order

    [call] = catalog.calls
    assert (call.method, call.path, call.caller) == (
        "POST",
        "/internal/reservations/",
        "orders",
    )
    assert call.body == {
        "order_ref": str(order.order_ref),
        "items": [{"product_id": TEAPOT, "quantity": 2}],
    }


def test_the_charge_request_is_an_outbox_row_committed_with_the_order(
    place_kwargs, catalog, sent, settings, card_open
):
    """Nothing is published by order_place: the row waits, the card sealed in it."""
    settings.PAYMENTS_QUEUE = "payments-under-test"

    order = order_place(**place_kwargs).order

    message = OutboxMessage.objects.get()
    sealed = message.payload.pop("card_sealed")
    assert message.task_name == PAYMENTS_CHARGE
    assert message.queue == "payments-under-test"
    assert message.payload == {
        "order_id": order.pk,
        "amount": "25.00",
        "currency": "EUR",
    }
    # The card number, as digits, only sealed for payments: never in plain text.
    assert card_open(sealed) == APPROVED_CARD
    assert APPROVED_CARD not in json.dumps(message.payload) + sealed
    assert message.published_at is None
    assert sent == []


def test_the_relay_sends_the_charge_with_the_card_sealed_for_payments(
    place_kwargs, catalog, relay, settings, card_open
):
    """payments.charge on the payments queue, carrying what only payments opens."""
    settings.PAYMENTS_QUEUE = "payments-under-test"
    order = order_place(**place_kwargs).order

    [message] = relay()

    sealed = message.kwargs.pop("card_sealed")
    assert message.task_name == PAYMENTS_CHARGE
    assert message.queue == "payments-under-test"
    assert message.kwargs == {
        "order_id": order.pk,
        "amount": "25.00",
        "currency": "EUR",
    }
    assert card_open(sealed) == APPROVED_CARD
    row = OutboxMessage.objects.get()
    assert row.published_at is not None
    assert row.payload["card_sealed"] == sealed  # what rests is what payments opens
    assert relay() == []  # sent once


def test_a_failure_after_the_reservation_records_nothing_and_releases_it(
    place_kwargs, catalog, sent, monkeypatch
):
    """The order and its outbox row roll back together; catalog gets its stock back."""

    def broken(**kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(placement, "key_attach", broken)
    place_kwargs["idempotency_key"] = "checkout-42"

    with pytest.raises(DatabaseError):
        order_place(**place_kwargs)

    assert not Order.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert not IdempotencyKey.objects.exists()
    assert not PlacementAttempt.objects.exists()  # released: nothing to reclaim
    reserve, release = catalog.calls
    assert release.method == "DELETE"
    assert release.path == f"/internal/reservations/{reserve.body['order_ref']}/"
    assert catalog.stock(TEAPOT) == 5
    assert sent == []


def test_a_release_catalog_does_not_answer_is_left_to_the_worker(
    place_kwargs, catalog, monkeypatch, settings, relay
):
    """The compensation is queued through the outbox as orders.stock_release."""
    settings.ORDERS_QUEUE = "orders-under-test"

    def broken(order):
        catalog.failures = 99  # catalog falls over as the order is being recorded
        raise DatabaseError("disk full")

    monkeypatch.setattr(placement, "_payment_request", broken)

    with pytest.raises(DatabaseError):
        order_place(**place_kwargs)

    order_ref = catalog.calls[0].body["order_ref"]
    assert [(s.task_name, s.kwargs, s.queue) for s in relay()] == [
        (STOCK_RELEASE, {"order_ref": order_ref}, "orders-under-test")
    ]


def test_catalog_down_is_service_unavailable_and_records_nothing(
    place_kwargs, catalog_down
):
    """No order, no charge; a release is queued in case the request got through."""
    place_kwargs["idempotency_key"] = "checkout-42"

    with pytest.raises(ServiceUnavailable):
        order_place(**place_kwargs)

    assert not Order.objects.exists()
    assert not OutboxMessage.objects.exclude(task_name=STOCK_RELEASE).exists()
    assert not IdempotencyKey.objects.exists()
    assert OutboxMessage.objects.filter(task_name=STOCK_RELEASE).count() == 1
    # The queued release stands for the attempt: recovery will not release it again.
    assert not PlacementAttempt.objects.exists()


def test_catalog_not_answering_is_not_asked_again_to_release(place_kwargs, catalog):
    """The customer's 503 waits for one failed reserve, not for a release too."""
    catalog.failures = 99

    with pytest.raises(ServiceUnavailable):
        order_place(**place_kwargs)

    assert {call.method for call in catalog.calls} == {"POST"}
    assert OutboxMessage.objects.filter(task_name=STOCK_RELEASE).count() == 1


def test_a_lost_answer_is_retried_and_reserves_once(place_kwargs, catalog):
    """Catalog answered 503 twice: the same order_ref a third time takes the stock."""
    catalog.failures = 2

    order = order_place(**place_kwargs).order

    refs = {call.body["order_ref"] for call in catalog.calls_to("POST")}
    assert refs == {str(order.order_ref)}
    assert len(catalog.calls_to("POST")) == 3
    assert catalog.stock(TEAPOT) == 3


def test_lines_of_the_same_product_are_merged(place_kwargs, catalog):
    """Two lines of one product become one line with the summed quantity."""
    place_kwargs["items"] = [(TEAPOT, 1), (TEAPOT, 3)]

    order = order_place(**place_kwargs).order

    assert order.lines.get().quantity == 4
    assert order.total == Decimal("50.00")
    assert catalog.calls[0].body["items"] == [{"product_id": TEAPOT, "quantity": 4}]


def test_lines_keep_the_order_they_were_asked_in(place_kwargs, catalog):
    """Catalog answers in id order; the order keeps the customer's order."""
    catalog.add_product(3, "Cup", "4.00", stock=10)
    place_kwargs["items"] = [(TEAPOT, 1), (3, 2)]

    order = order_place(**place_kwargs).order

    assert [line.product_id for line in order.lines.all()] == [TEAPOT, 3]
    assert order.total == Decimal("20.50")


def test_out_of_stock_records_nothing_and_frees_the_key(place_kwargs, catalog):
    """All or nothing: catalog took nothing, so there is nothing to release."""
    place_kwargs["items"] = [(TEAPOT, 6)]
    place_kwargs["idempotency_key"] = "checkout-42"

    with pytest.raises(OutOfStock) as raised:
        order_place(**place_kwargs)

    assert raised.value.product_id == TEAPOT
    assert str(raised.value) == "Only 5 of Teapot left in stock."
    assert not Order.objects.exists()
    assert not IdempotencyKey.objects.exists()
    assert not PlacementAttempt.objects.exists()
    assert catalog.calls_to("DELETE") == []


def test_an_unknown_product_records_nothing(place_kwargs, catalog):
    """Catalog's message names the id that is no product."""
    place_kwargs["items"] = [(TEAPOT, 1), (999_999, 1)]

    with pytest.raises(UnknownProducts) as raised:
        order_place(**place_kwargs)

    assert str(raised.value) == "Unknown product ids: 999999."
    assert not Order.objects.exists()
    assert catalog.stock(TEAPOT) == 5


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"items": []}, "items", EMPTY_ORDER),
        ({"items": [(n, 1) for n in range(1, MAX_LINES + 2)]}, "items", TOO_MANY_LINES),
        ({"items": [(1, 0)]}, "items", QUANTITY_OUT_OF_RANGE),
        ({"items": [(1, 100)]}, "items", QUANTITY_OUT_OF_RANGE),
        ({"card_number": "4242 4242 4242 4241"}, "card_number", INVALID_CARD_NUMBER),
        ({"shipping_name": "  "}, "shipping", SHIPPING_REQUIRED),
        ({"shipping_address": ""}, "shipping", SHIPPING_REQUIRED),
    ],
)
def test_invalid_requests_are_refused_before_anything_happens(
    place_kwargs, catalog, change, field, message
):
    """The service checks its own rules, whoever calls it; catalog is not asked."""
    place_kwargs.update(change)

    with pytest.raises(ValidationError) as raised:
        order_place(**place_kwargs)

    assert raised.value.message_dict == {field: [message]}
    assert not Order.objects.exists()
    assert catalog.calls == []


def test_the_same_key_and_request_return_the_first_order(place_kwargs, catalog):
    """A replay is answered with the first order: one reservation, one charge."""
    place_kwargs["idempotency_key"] = "checkout-42"

    first = order_place(**place_kwargs)
    replay = order_place(**place_kwargs)

    assert (first.created, replay.created) == (True, False)
    assert replay.order.pk == first.order.pk
    assert IdempotencyKey.objects.get().order == first.order
    assert len(catalog.calls) == 1
    assert OutboxMessage.objects.count() == 1


def test_a_key_reused_with_another_request_is_refused(place_kwargs, catalog):
    """Same key, different body: an error, not a second order or the first one."""
    place_kwargs["idempotency_key"] = "checkout-42"
    order_place(**place_kwargs)
    place_kwargs["shipping_address"] = "Somewhere else"

    with pytest.raises(IdempotencyKeyReused):
        order_place(**place_kwargs)

    assert Order.objects.count() == 1


def test_spaces_in_the_card_number_do_not_make_another_request(place_kwargs, catalog):
    """The card number is compared as digits, however it was typed."""
    place_kwargs["idempotency_key"] = "checkout-42"
    first = order_place(**place_kwargs)
    place_kwargs["card_number"] = place_kwargs["card_number"].replace(" ", "")

    replay = order_place(**place_kwargs)

    assert replay.order.pk == first.order.pk


def test_keys_belong_to_one_user(place_kwargs, catalog):
    """Two users may happen to pick the same key: each gets their own order."""
    place_kwargs["idempotency_key"] = "checkout-42"
    first = order_place(**place_kwargs)
    place_kwargs["user_id"] += 1

    second = order_place(**place_kwargs)

    assert second.created is True
    assert second.order.pk != first.order.pk


def test_a_key_is_free_again_when_the_order_could_not_be_placed(place_kwargs, catalog):
    """Out of stock frees the key, so the same request may be retried later."""
    place_kwargs["idempotency_key"] = "checkout-42"
    catalog.products[TEAPOT]["stock"] = 1
    with pytest.raises(OutOfStock):
        order_place(**place_kwargs)
    catalog.products[TEAPOT]["stock"] = 5

    placement_ = order_place(**place_kwargs)

    assert placement_.created is True
    assert IdempotencyKey.objects.get().order == placement_.order


def test_the_request_fingerprint_is_keyed_with_the_secret_key(
    place_kwargs, catalog, settings
):
    """Without SECRET_KEY no one can test guesses of the card number against it."""
    order_place(**place_kwargs, idempotency_key="first")
    settings.SECRET_KEY = "another-secret-key-for-this-test"

    order_place(**place_kwargs, idempotency_key="second")

    first, second = IdempotencyKey.objects.order_by("pk")
    assert len(first.request_hash) == 64  # hex SHA-256
    assert first.request_hash != second.request_hash


def test_each_order_has_its_own_reference(place_kwargs, catalog):
    """order_ref is a fresh UUID per order: catalog tells reservations apart by it."""
    first = order_place(**place_kwargs).order
    second = order_place(**place_kwargs).order

    assert isinstance(first.order_ref, uuid.UUID)
    assert first.order_ref != second.order_ref
