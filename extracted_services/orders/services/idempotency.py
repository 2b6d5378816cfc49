"""Idempotency keys: the same request sent twice places one order.

The monolith's rules, with one difference. There, a concurrent replay waited on the
database's lock until the first request's one transaction committed. Here the first
request spans an HTTP call to catalog, which no transaction may hold open, so the
key is claimed in a short transaction of its own, and a concurrent replay polls
until the first request has recorded its order (or given the key up).

A claim can outlive its request: a process killed mid-placement never gives its key
up. So a claim with no order expires after IDEMPOTENCY_CLAIM_SECONDS (longer than
any live placement): the next request with the key takes it over, and recovery.py
deletes the ones nobody came back for.
"""

import json
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.views.decorators.debug import sensitive_variables

from ..cards import normalize
from ..models import IdempotencyKey, Order

IDEMPOTENCY_KEY_REUSED = (
    "This Idempotency-Key was already used with a different request body."
)
# A live placement takes well under a second, and at most one catalog timeout
# (HTTP_TIMEOUT, 2 s) when catalog is slow. Wait no longer: the first request may
# have died with its process (its claim then expires), and a customer held for
# seconds is worse off than one told "409, retry in 1 s" (Retry-After).
REPLAY_WAIT_SECONDS = 2.0
REPLAY_POLL_SECONDS = 0.05


class IdempotencyKeyReused(Exception):
    def __init__(self):
        super().__init__(IDEMPOTENCY_KEY_REUSED)


class KeyStillInUse(Exception):
    """The first request with this key was still placing its order after the wait."""


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


def key_claim(*, user_id: int, key: str, fingerprint: str) -> Order | None:
    """Claim ``key`` for a new order (None), or return the order it already placed.

    Raises IdempotencyKeyReused when the key came with a different request, and
    KeyStillInUse when the first request has not finished within the wait.
    """
    deadline = time.monotonic() + REPLAY_WAIT_SECONDS
    while True:
        try:
            with transaction.atomic():
                IdempotencyKey.objects.create(
                    user_id=user_id, key=key, request_hash=fingerprint
                )
            return None  # the key is ours: go on and place the order
        except IntegrityError:
            pass  # someone has it: see what became of it
        claim = (
            IdempotencyKey.objects.select_related("order")
            .filter(user_id=user_id, key=key)
            .first()
        )
        if claim is not None:
            if _claim_take_over(claim):
                continue  # it had expired and is gone now: try to make it ours
            if claim.request_hash != fingerprint:
                raise IdempotencyKeyReused
            if claim.order is not None:
                return claim.order
        # Still placing (claim.order is None), or it failed and gave the key up
        # (claim is None) and our next try may win it.
        if time.monotonic() > deadline:
            raise KeyStillInUse
        time.sleep(REPLAY_POLL_SECONDS)


def _claim_take_over(claim: IdempotencyKey) -> bool:
    """Delete ``claim`` if it has expired; True when it is gone (by us or another).

    Whatever its request body: an expired claim placed nothing. A conditional
    delete: of two requests that find the same expired claim, both delete (the
    second deletes nothing), then only one wins the new claim's insert.
    """
    if claim.order_id is not None or claim.created_at >= _claims_expire_before():
        return False
    claims_expired().filter(pk=claim.pk).delete()
    return True


def claims_expired() -> QuerySet[IdempotencyKey]:
    """Claims with no order older than IDEMPOTENCY_CLAIM_SECONDS: their request died."""
    return IdempotencyKey.objects.filter(
        order=None, created_at__lt=_claims_expire_before()
    )


def _claims_expire_before() -> datetime:
    return timezone.now() - timedelta(seconds=settings.IDEMPOTENCY_CLAIM_SECONDS)


def key_attach(*, user_id: int, key: str, order: Order) -> bool:
    """Point the claimed key at its order; call it in the order's transaction.

    False when the claim is no longer there to attach (it expired and was taken
    over or deleted): then the caller must not record its order, or the key could
    place two.
    """
    attached = IdempotencyKey.objects.filter(
        user_id=user_id, key=key, order=None
    ).update(order=order)
    return attached == 1


def key_release(*, user_id: int, key: str) -> None:
    """Give up a claim whose order was not placed, so the request may be retried."""
    IdempotencyKey.objects.filter(user_id=user_id, key=key, order=None).delete()
