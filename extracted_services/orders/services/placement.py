"""Placing an order, as a saga: reserve at catalog, record, let payments answer.

The steps and their compensations are listed in ``saga.py``. The monolith's
``monolith/orders/services/placement.py`` takes the same steps in one database
transaction: put the two ``order_place`` functions side by side. The call to
catalog became an HTTP request with a timeout, made before the transaction; the
foreign keys became ids; the card is charged after the response, by payments, asked
through a message saved with the order (the outbox); and what failed half-way is
undone by a compensation instead of a rollback.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple
from uuid import UUID, uuid4

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.views.decorators.debug import sensitive_variables

from extracted_services.chassis.card_sealing import card_seal
from extracted_services.chassis.problems import ServiceUnavailable

from ..cards import luhn_valid, normalize
from ..clients.catalog import (
    OutOfStock,
    ReservedLine,
    UnknownProducts,
    stock_release,
    stock_reserve,
)
from ..models import Order, OrderLine
from ..saga import payment_charge_queue, stock_release_queue
from .attempts import attempt_close, attempt_drop, attempt_open
from .idempotency import key_attach, key_claim, key_release, request_fingerprint

MAX_LINES = 20
MAX_QUANTITY = 99

EMPTY_ORDER = "An order needs at least one item."
TOO_MANY_LINES = f"An order can have at most {MAX_LINES} lines."
QUANTITY_OUT_OF_RANGE = f"Each quantity must be between 1 and {MAX_QUANTITY}."
INVALID_CARD_NUMBER = "This card number is not valid: check the digits."
SHIPPING_REQUIRED = "Say who and where to ship to."

logger = logging.getLogger(__name__)


class OrderItem(NamedTuple):
    """One line of an order request; a plain ``(product_id, quantity)`` works too."""

    product_id: int
    quantity: int


@dataclass(frozen=True)
class OrderPlacement:
    order: Order
    created: bool  # False when an Idempotency-Key replay found the first order


class PlacementExpired(ServiceUnavailable):
    """The placement outlived its claim or its attempt, and recovery reclaimed them.

    Nothing is recorded and the stock goes back; a 503 says to try again.
    """

    def __init__(self) -> None:
        super().__init__("catalog")


# An error report (DEBUG's page, the admins' email) shows each frame's variables:
# never the card number's.
@sensitive_variables("card_number")
def order_place(
    *,
    user_id: int,
    username: str,
    items: Iterable[OrderItem | tuple[int, int]],
    card_number: str,
    shipping_name: str,
    shipping_address: str,
    idempotency_key: str | None = None,
) -> OrderPlacement:
    """Reserve the stock, record the order ``pending``, ask payments for the charge.

    Raises ValidationError, the catalog client's UnknownProducts and OutOfStock,
    ServiceUnavailable when catalog cannot be reached (nothing is recorded then),
    IdempotencyKeyReused and KeyStillInUse. The order becomes ``paid`` or ``failed``
    when payments answers: see ``payment_result.order_payment_record``.
    """
    items = [OrderItem(*item) for item in items]
    _validate(items, card_number, shipping_name, shipping_address)
    card_sealed = _card_seal(card_number)
    fingerprint = request_fingerprint(
        items=items,
        card_number=card_number,
        shipping_name=shipping_name,
        shipping_address=shipping_address,
    )
    quantities: dict[int, int] = {}
    for product_id, quantity in items:  # two lines of one product become one
        quantities[product_id] = quantities.get(product_id, 0) + quantity
    if idempotency_key is not None:
        # Claim the key first, in a short transaction of its own: a concurrent
        # request with the same key waits in key_claim for our order, and replays it.
        first = key_claim(user_id=user_id, key=idempotency_key, fingerprint=fingerprint)
        if first is not None:
            return OrderPlacement(order=first, created=False)
    order_ref = uuid4()  # made first: catalog knows the reservation by it
    try:
        # Written down before catalog is asked: if this process dies before the
        # order is recorded, recovery.py finds the attempt and gives the stock back.
        attempt_open(order_ref=order_ref)
        # A request with a timeout, before the transaction and never inside one: an
        # open transaction would hold the database's lock while catalog thinks.
        reserved = stock_reserve(order_ref=order_ref, quantities=quantities)
        with transaction.atomic():
            # The fences: recovery may have reclaimed a placement this slow.
            if not attempt_close(order_ref=order_ref):
                raise PlacementExpired
            order = _order_record(
                user_id, username, order_ref, reserved, quantities,
                shipping_name, shipping_address, card_sealed,
            )  # fmt: skip
            _payment_request(order)
            if idempotency_key is not None and not key_attach(
                user_id=user_id, key=idempotency_key, order=order
            ):
                raise PlacementExpired
    # BaseException, not Exception: SystemExit (a worker being stopped) or
    # KeyboardInterrupt (Ctrl-C) may come after catalog has taken the stock, which
    # must then go back and the key be freed all the same. It is always re-raised.
    except BaseException as exc:
        _order_abandon(exc, order_ref, user_id, idempotency_key)
        raise
    # The monolith emails a confirmation here. This service knows no email
    # addresses (users live in the gateway), so it sends none.
    return OrderPlacement(order=order, created=True)


@sensitive_variables("card_number")
def _validate(items, card_number, shipping_name, shipping_address) -> None:
    # The API checks these rules first, to show errors beside their fields; the
    # service checks again because it is the one that must be right.
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
    user_id: int,
    username: str,
    order_ref: UUID,
    reserved: dict[int, ReservedLine],
    quantities: dict[int, int],
    shipping_name: str,
    shipping_address: str,
    card_sealed: str,
) -> Order:
    """Record the order and a snapshot of each line, as catalog reserved them."""
    order = Order.objects.create(
        user_id=user_id,
        username=username,
        order_ref=order_ref,
        status=Order.Status.PENDING,
        total=sum(
            (reserved[pk].price * qty for pk, qty in quantities.items()), Decimal(0)
        ),
        shipping_name=shipping_name,
        shipping_address=shipping_address,
        # Kept sealed until the order is final, in case payments must be asked again.
        card_sealed=card_sealed,
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            product_id=pk,
            name=reserved[pk].name,
            category=reserved[pk].category,
            unit_price=reserved[pk].price,
            quantity=qty,
        )
        for pk, qty in quantities.items()
    )
    return order


def _payment_request(order: Order) -> None:
    """Ask payments to charge the card: a message saved with the order.

    The relay sends it once the transaction has committed: never a charge for an
    order that was rolled back, never an order waiting for a charge nobody asked for.
    The card number travels sealed for payments, the only service that can open it.
    """
    payment_charge_queue(order=order)


@sensitive_variables("card_number")
def _card_seal(card_number: str) -> str:
    """Seal the number for payments, before anything is written: from here on this
    service holds only a blob that payments' private key alone opens."""
    return card_seal(
        normalize(card_number), public_key_pem=settings.PAYMENTS_CARD_PUBLIC_KEY
    )


def _order_abandon(
    exc: BaseException, order_ref: UUID, user_id: int, idempotency_key: str | None
) -> None:
    """Undo what a placement that failed half-way has done (the compensations)."""
    # OutOfStock and UnknownProducts: catalog refused and took nothing. Anything
    # else, and catalog may hold a reservation (perhaps only its answer was lost)
    # that no order records: give the stock back.
    if isinstance(exc, OutOfStock | UnknownProducts):
        _attempt_forget(order_ref)
    elif isinstance(exc, ServiceUnavailable) and not isinstance(exc, PlacementExpired):
        # Catalog did not answer in time: asking it again now would keep the
        # customer waiting one more timeout for their 503. The outbox asks for us.
        _stock_give_back_later(order_ref)
    else:
        _stock_give_back(order_ref)
    if idempotency_key is not None:
        # No order: free the key, so that the same request may be tried again.
        key_release(user_id=user_id, key=idempotency_key)


def _stock_give_back(order_ref: UUID) -> None:
    """Release the reservation now, or through the outbox if catalog does not answer."""
    try:
        stock_release(order_ref=order_ref)
    except ServiceUnavailable:
        _stock_give_back_later(order_ref)
    else:
        _attempt_forget(order_ref)


def _stock_give_back_later(order_ref: UUID) -> None:
    """Queue the release in the outbox: our worker calls catalog until it answers.

    Catalog may still receive our reserve call after the release (it was queued
    while catalog was frozen, say): catalog then refuses it and takes nothing.
    """
    try:
        with transaction.atomic():
            stock_release_queue(order_ref=order_ref)
            attempt_drop(order_ref=order_ref)  # the message stands for it now
    except Exception:
        # Neither catalog nor our database answers: the attempt stays, and
        # recovery.py releases the stock once RESERVATION_SECONDS have passed.
        logger.exception("reservation %s could not be released", order_ref)


def _attempt_forget(order_ref: UUID) -> None:
    """Nothing is held at catalog any more: recovery has nothing to reclaim."""
    try:
        attempt_drop(order_ref=order_ref)
    except Exception:
        # Left behind, it is only released again later: harmless at catalog.
        logger.exception("placement attempt %s could not be deleted", order_ref)
