"""Idempotency keys: the same request sent twice places one order.

A client sends an ``Idempotency-Key`` with its request; the key is kept with a
fingerprint of the request, so a replay is told apart from a key reused by mistake.
"""

import json

from django.utils.crypto import salted_hmac
from django.views.decorators.debug import sensitive_variables

from monolith.payments.cards import normalize

from ..models import IdempotencyKey, Order

IDEMPOTENCY_KEY_REUSED = (
    "This Idempotency-Key was already used with a different request body."
)


class IdempotencyKeyReused(Exception):
    def __init__(self):
        super().__init__(IDEMPOTENCY_KEY_REUSED)


@sensitive_variables("card_number", "body", "canonical")
def request_fingerprint(
    *, items, card_number: str, shipping_name: str, shipping_address: str
) -> str:
    """A keyed SHA-256 (HMAC) of the request's canonical JSON.

    Keyed with SECRET_KEY rather than a bare SHA-256: the request holds the card
    number, and a plain hash of a 16-digit number can be brute-forced.
    """
    body = {
        "items": [{"product_id": pk, "quantity": qty} for pk, qty in items],
        "card_number": normalize(card_number),
        "shipping": {"name": shipping_name, "address": shipping_address},
    }
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return salted_hmac("orders.idempotency", canonical, algorithm="sha256").hexdigest()


def key_claim(*, user, key: str, fingerprint: str) -> None:
    """Claim ``key`` for the order being placed; call it in the order's transaction.

    A concurrent request with the same key waits on the unique constraint until the
    first commits, then fails with IntegrityError: see ``claimed_order``.
    """
    IdempotencyKey.objects.create(user=user, key=key, request_hash=fingerprint)


def key_attach(*, user, key: str, order: Order) -> None:
    """Point the claimed key at its order; call it in the order's transaction."""
    IdempotencyKey.objects.filter(user=user, key=key).update(order=order)


def claimed_order(*, user, key: str, fingerprint: str) -> Order | None:
    """The order placed the first time ``key`` was used, or None if it never was.

    Raises IdempotencyKeyReused when the key came with a different request.
    """
    claim = (
        IdempotencyKey.objects.select_related("order")
        .filter(user=user, key=key)
        .first()
    )
    if claim is None:
        return None
    if claim.request_hash != fingerprint:
        raise IdempotencyKeyReused
    return claim.order
