"""order_place: one transaction from stock to payment, and its idempotency."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from monolith.catalog.services import OutOfStock, UnknownProducts
from monolith.orders.models import IdempotencyKey, Order
from monolith.orders.services import (
    EMPTY_ORDER,
    INVALID_CARD_NUMBER,
    MAX_LINES,
    QUANTITY_OUT_OF_RANGE,
    SHIPPING_REQUIRED,
    TOO_MANY_LINES,
    IdempotencyKeyReused,
    order_place,
)
from monolith.payments.models import Payment
from monolith.payments.services import (
    CARD_DECLINED,
    DECLINED_CARD,
    INSUFFICIENT_FUNDS,
    INSUFFICIENT_FUNDS_CARD,
)
from tests.factories import ProductFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_good_card_pays_the_order_and_takes_the_stock(place_kwargs, stocked_product):
    """The order is paid, its line a snapshot, and the stock is reduced."""
    placement = order_place(**place_kwargs)

    order = placement.order
    assert placement.created is True
    assert order.status == Order.Status.PAID
    assert order.total == Decimal("25.00")
    assert order.currency == "EUR"
    assert (order.shipping_name, order.shipping_address) == (
        "Ada Lovelace",
        "12 St James's Square\nLondon",
    )
    line = order.lines.get()
    assert (line.product_id, line.name, line.unit_price, line.quantity) == (
        stocked_product.pk,
        "Teapot",
        Decimal("12.50"),
        2,
    )
    assert order.payment.status == Payment.Status.APPROVED
    assert order.payment.amount == Decimal("25.00")
    stocked_product.refresh_from_db()
    assert stocked_product.stock == 3


def test_the_line_keeps_the_price_it_was_sold_at(place_kwargs, stocked_product):
    """A later price change does not touch the orders already placed."""
    order = order_place(**place_kwargs).order

    stocked_product.price = Decimal("99.00")
    stocked_product.save()

    assert order.lines.get().unit_price == Decimal("12.50")


@pytest.mark.parametrize(
    ("card_number", "failure_reason"),
    [(DECLINED_CARD, CARD_DECLINED), (INSUFFICIENT_FUNDS_CARD, INSUFFICIENT_FUNDS)],
)
def test_a_declined_card_fails_the_order_and_puts_the_stock_back(
    place_kwargs, stocked_product, card_number, failure_reason
):
    """The failed order is kept, for the customer to see; the stock is released."""
    place_kwargs["card_number"] = card_number

    placement = order_place(**place_kwargs)

    order = Order.objects.get(pk=placement.order.pk)
    assert placement.created is True
    assert order.status == Order.Status.FAILED
    assert order.payment.status == Payment.Status.DECLINED
    assert order.payment.failure_reason == failure_reason
    assert order.lines.count() == 1
    stocked_product.refresh_from_db()
    assert stocked_product.stock == 5


def test_lines_of_the_same_product_are_merged(place_kwargs, stocked_product):
    """Two lines of one product become one line with the summed quantity."""
    place_kwargs["items"] = [(stocked_product.pk, 1), (stocked_product.pk, 3)]

    order = order_place(**place_kwargs).order

    line = order.lines.get()
    assert line.quantity == 4
    assert order.total == Decimal("50.00")
    stocked_product.refresh_from_db()
    assert stocked_product.stock == 1


def test_merged_lines_are_checked_against_the_stock_together(
    place_kwargs, stocked_product
):
    """3 + 3 of a product with 5 in stock is out of stock, though each line fits."""
    place_kwargs["items"] = [(stocked_product.pk, 3), (stocked_product.pk, 3)]

    with pytest.raises(OutOfStock):
        order_place(**place_kwargs)


def test_out_of_stock_records_nothing_and_leaves_the_stock(
    place_kwargs, stocked_product
):
    """All or nothing: no order, no payment, no key, and every stock as it was."""
    other = ProductFactory(stock=10)
    place_kwargs["items"] = [(other.pk, 2), (stocked_product.pk, 6)]
    place_kwargs["idempotency_key"] = "key-1"

    with pytest.raises(OutOfStock) as raised:
        order_place(**place_kwargs)

    assert raised.value.product == stocked_product
    assert "Teapot" in str(raised.value)
    assert not Order.objects.exists()
    assert not Payment.objects.exists()
    assert not IdempotencyKey.objects.exists()
    other.refresh_from_db()
    stocked_product.refresh_from_db()
    assert (other.stock, stocked_product.stock) == (10, 5)


def test_an_unknown_product_records_nothing(place_kwargs, stocked_product):
    """An id that is no product names the id, and nothing is recorded."""
    place_kwargs["items"] = [(stocked_product.pk, 1), (999_999, 1)]

    with pytest.raises(UnknownProducts) as raised:
        order_place(**place_kwargs)

    assert raised.value.product_ids == [999_999]
    assert not Order.objects.exists()
    stocked_product.refresh_from_db()
    assert stocked_product.stock == 5


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
    place_kwargs, change, field, message
):
    """The service checks its own rules, whoever calls it."""
    place_kwargs.update(change)

    with pytest.raises(ValidationError) as raised:
        order_place(**place_kwargs)

    assert raised.value.message_dict == {field: [message]}
    assert not Order.objects.exists()


def test_the_same_key_and_request_return_the_first_order(place_kwargs, stocked_product):
    """A replay is answered with the first order: one order, one charge."""
    place_kwargs["idempotency_key"] = "checkout-42"

    first = order_place(**place_kwargs)
    replay = order_place(**place_kwargs)

    assert (first.created, replay.created) == (True, False)
    assert replay.order.pk == first.order.pk
    assert Order.objects.count() == 1
    assert Payment.objects.count() == 1
    stocked_product.refresh_from_db()
    assert stocked_product.stock == 3


def test_a_replay_is_answered_even_when_the_stock_has_run_out(
    place_kwargs, stocked_product
):
    """The key is looked at before the stock: the first order is what counts."""
    place_kwargs["idempotency_key"] = "checkout-42"
    first = order_place(**place_kwargs)
    stocked_product.stock = 0
    stocked_product.save()

    replay = order_place(**place_kwargs)

    assert replay.order.pk == first.order.pk


def test_a_key_reused_with_another_request_is_refused(place_kwargs):
    """Same key, different body: an error, not a second order or the first one."""
    place_kwargs["idempotency_key"] = "checkout-42"
    order_place(**place_kwargs)
    place_kwargs["shipping_address"] = "Somewhere else"

    with pytest.raises(IdempotencyKeyReused):
        order_place(**place_kwargs)

    assert Order.objects.count() == 1


def test_spaces_in_the_card_number_do_not_make_another_request(place_kwargs):
    """The card number is compared as digits, however it was typed."""
    place_kwargs["idempotency_key"] = "checkout-42"
    first = order_place(**place_kwargs)
    place_kwargs["card_number"] = place_kwargs["card_number"].replace(" ", "")

    replay = order_place(**place_kwargs)

    assert replay.order.pk == first.order.pk


def test_keys_belong_to_one_user(place_kwargs):
    """Two users may happen to pick the same key: each gets their own order."""
    place_kwargs["idempotency_key"] = "checkout-42"
    first = order_place(**place_kwargs)
    place_kwargs["user"] = UserFactory()

    second = order_place(**place_kwargs)

    assert second.created is True
    assert second.order.pk != first.order.pk


def test_a_key_is_free_again_when_the_order_could_not_be_placed(
    place_kwargs, stocked_product
):
    """Out of stock rolls the key back too, so the same request may be retried."""
    place_kwargs["idempotency_key"] = "checkout-42"
    stocked_product.stock = 1
    stocked_product.save()
    with pytest.raises(OutOfStock):
        order_place(**place_kwargs)
    stocked_product.stock = 5
    stocked_product.save()

    placement = order_place(**place_kwargs)

    assert placement.created is True
    assert IdempotencyKey.objects.get().order == placement.order


def test_the_request_fingerprint_is_keyed_with_the_secret_key(place_kwargs, settings):
    """Without SECRET_KEY no one can test guesses of the card number against it."""
    order_place(**place_kwargs, idempotency_key="first")
    settings.SECRET_KEY = "another-secret-key-for-this-test"

    order_place(**place_kwargs, idempotency_key="second")

    first, second = IdempotencyKey.objects.order_by("pk")
    assert len(first.request_hash) == 64  # hex SHA-256
    assert first.request_hash != second.request_hash
