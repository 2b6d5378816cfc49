"""Placing an order: stock, order, payment, all in one database transaction.

The orders service in extracted_services/ takes the same steps as a saga (its
``saga.py`` lists them with their compensations): put the two ``order_place``
functions side by side to see what the network changes.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.views.decorators.debug import sensitive_variables

from monolith.catalog.models import Product
from monolith.catalog.services import stock_release, stock_reserve
from monolith.payments.cards import luhn_valid
from monolith.payments.services import payment_charge

from ..models import Order, OrderLine
from ..tasks import order_confirmation_send
from .idempotency import claimed_order, key_attach, key_claim, request_fingerprint

MAX_LINES = 20
MAX_QUANTITY = 99

EMPTY_ORDER = "An order needs at least one item."
TOO_MANY_LINES = f"An order can have at most {MAX_LINES} lines."
QUANTITY_OUT_OF_RANGE = f"Each quantity must be between 1 and {MAX_QUANTITY}."
INVALID_CARD_NUMBER = "This card number is not valid: check the digits."
SHIPPING_REQUIRED = "Say who and where to ship to."


class OrderItem(NamedTuple):
    """One line of an order request; a plain ``(product_id, quantity)`` works too."""

    product_id: int
    quantity: int


@dataclass(frozen=True)
class OrderPlacement:
    order: Order
    created: bool  # False when an Idempotency-Key replay found the first order


# An error report (DEBUG's page, the admins' email) shows each frame's variables:
# never the card number's. It is charged here, in this process, and never stored.
@sensitive_variables("card_number")
def order_place(
    *,
    user,
    items: Iterable[OrderItem | tuple[int, int]],
    card_number: str,
    shipping_name: str,
    shipping_address: str,
    idempotency_key: str | None = None,
) -> OrderPlacement:
    """Reserve the stock, record the order, charge the card: all or nothing.

    Raises ValidationError, catalog's UnknownProducts and OutOfStock (nothing is
    recorded then), and IdempotencyKeyReused. A declined card is not an error: the
    order is kept, ``failed``, and its stock is back on the shelf.
    """
    items = [OrderItem(*item) for item in items]
    _validate(items, card_number, shipping_name, shipping_address)
    fingerprint = request_fingerprint(
        items=items,
        card_number=card_number,
        shipping_name=shipping_name,
        shipping_address=shipping_address,
    )
    quantities: dict[int, int] = {}
    for product_id, quantity in items:  # two lines of one product become one
        quantities[product_id] = quantities.get(product_id, 0) + quantity
    try:
        with transaction.atomic():
            if idempotency_key is not None:
                # Claim the key first. The unique constraint makes a concurrent
                # request with the same key wait here until we commit, then fail.
                key_claim(user=user, key=idempotency_key, fingerprint=fingerprint)
            reserved = stock_reserve(quantities=quantities)  # rows locked: prices hold
            order = _order_record(
                user, reserved, quantities,
                shipping_name, shipping_address,
            )  # fmt: skip
            _payment_request(order, card_number, quantities)
            if idempotency_key is not None:
                key_attach(user=user, key=idempotency_key, order=order)
    except IntegrityError:
        # Outside the atomic block, the failed transaction is rolled back and the
        # database can be read again: a replay finds the first order.
        if idempotency_key is None:
            raise
        first = claimed_order(user=user, key=idempotency_key, fingerprint=fingerprint)
        if first is None:
            raise
        return OrderPlacement(order=first, created=False)
    # Sent by a worker after the commit: never an email for an order rolled back.
    # Robust: the order has committed, so a broker that is down must not turn it
    # into a 500 (the customer would think it failed and order again); Django logs
    # the error, and only the email is lost (docs/reliability.md).
    transaction.on_commit(lambda: order_confirmation_send.delay(order.pk), robust=True)
    return OrderPlacement(order=order, created=True)


@sensitive_variables("card_number")
def _validate(items, card_number, shipping_name, shipping_address) -> None:
    # The form and the API check these rules first, to show errors beside their
    # fields; the service checks again because it is the one that must be right.
    errors: dict[str, list[str]] = {}
    if not items:
        errors["items"] = [EMPTY_ORDER]
    elif len(items) > MAX_LINES:
        errors["items"] = [TOO_MANY_LINES]
    elif not all(1 <= item.quantity <= MAX_QUANTITY for item in items):
        errors["items"] = [QUANTITY_OUT_OF_RANGE]
    if not luhn_valid(card_number):
        errors["card_number"] = [INVALID_CARD_NUMBER]
    if not (shipping_name.strip() and shipping_address.strip()):
        errors["shipping"] = [SHIPPING_REQUIRED]
    if errors:
        raise ValidationError(errors)


def _order_record(
    user,
    reserved: dict[int, Product],
    quantities: dict[int, int],
    shipping_name: str,
    shipping_address: str,
) -> Order:
    """Record the order and a snapshot of each line, as catalog reserved them."""
    order = Order.objects.create(
        user=user,
        status=Order.Status.PENDING,
        total=sum(
            (reserved[pk].price * qty for pk, qty in quantities.items()), Decimal(0)
        ),
        shipping_name=shipping_name,
        shipping_address=shipping_address,
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            product=reserved[pk],
            name=reserved[pk].name,
            unit_price=reserved[pk].price,
            quantity=qty,
        )
        for pk, qty in quantities.items()
    )
    return order


@sensitive_variables("card_number")
def _payment_request(
    order: Order, card_number: str, quantities: dict[int, int]
) -> None:
    """Ask payments to charge the card, and record its answer, given at once.

    A decline marks the order failed and puts the stock back: in the same
    transaction, where the orders service needs a message and a compensation.
    """
    payment = payment_charge(order=order, card_number=card_number)
    if payment.is_approved:
        order.status = Order.Status.PAID
    else:
        order.status = Order.Status.FAILED
        stock_release(quantities=quantities)
    order.save(update_fields=["status", "updated_at"])
