"""Order writes, split by subdomain; import them from here.

placement.py       order_place: reserve at catalog, record the order, ask for the charge
payment_result.py  order_payment_record: payments has answered, the order is final
idempotency.py     Idempotency-Key fingerprints, claims and replays
"""

from .idempotency import IDEMPOTENCY_KEY_REUSED, IdempotencyKeyReused, KeyStillInUse
from .payment_result import order_payment_record
from .placement import (
    EMPTY_ORDER,
    INVALID_CARD_NUMBER,
    MAX_LINES,
    MAX_QUANTITY,
    QUANTITY_OUT_OF_RANGE,
    SHIPPING_REQUIRED,
    TOO_MANY_LINES,
    OrderItem,
    OrderPlacement,
    order_place,
)

__all__ = [
    "EMPTY_ORDER",
    "IDEMPOTENCY_KEY_REUSED",
    "INVALID_CARD_NUMBER",
    "MAX_LINES",
    "MAX_QUANTITY",
    "QUANTITY_OUT_OF_RANGE",
    "SHIPPING_REQUIRED",
    "TOO_MANY_LINES",
    "IdempotencyKeyReused",
    "KeyStillInUse",
    "OrderItem",
    "OrderPlacement",
    "order_payment_record",
    "order_place",
]
