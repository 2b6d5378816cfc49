"""Order writes, split by subdomain; import them from here.

placement.py    order_place: stock, order and payment in one transaction
idempotency.py  Idempotency-Key fingerprints and replays
emails.py       the confirmation email
"""

from .emails import CONFIRMATION_SUBJECT, order_confirmation_email_send
from .idempotency import IDEMPOTENCY_KEY_REUSED, IdempotencyKeyReused
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
    "CONFIRMATION_SUBJECT",
    "EMPTY_ORDER",
    "IDEMPOTENCY_KEY_REUSED",
    "INVALID_CARD_NUMBER",
    "MAX_LINES",
    "MAX_QUANTITY",
    "QUANTITY_OUT_OF_RANGE",
    "SHIPPING_REQUIRED",
    "TOO_MANY_LINES",
    "IdempotencyKeyReused",
    "OrderItem",
    "OrderPlacement",
    "order_confirmation_email_send",
    "order_place",
]
