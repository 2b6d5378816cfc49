"""Recovery: finish what a crash left half done (the second table in ``saga.py``).

``recover_once`` does one pass of four chores. The outbox relay runs it every
OUTBOX_CHORE_SECONDS (``settings.OUTBOX_RELAY_CHORES``); ``manage.py recover`` runs
one pass by hand. Two processes may run it at once: each chore takes its row with a
conditional delete or update that only one of them can win.
"""

import logging
from dataclasses import astuple, dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import Order, StockRelease
from .saga import payment_charge_queue, stock_release_send
from .services.attempts import attempt_reclaim, attempts_stale
from .services.idempotency import claims_expired

logger = logging.getLogger(__name__)

BATCH = 500  # rows per chore per pass; the next pass takes the rest
# Unanswered, a message is sent again after the timeout, then after twice that,
# four times... up to this many timeouts apart (about 10 minutes at 20 s).
LONGEST_WAIT = 32


@dataclass(frozen=True)
class RecoveryCounts:
    """What one pass did."""

    claims_expired: int = 0  # Idempotency-Key claims deleted: no order came
    reservations_released: int = 0  # placements that died: their stock goes back
    payments_asked_again: int = 0  # pending orders: payments.charge sent again
    releases_sent_again: int = 0  # stock still owed: orders.stock_release again

    def __bool__(self) -> bool:
        return any(astuple(self))


def recover_once() -> RecoveryCounts:
    """One pass of every chore; logs what it did, and returns the counts."""
    counts = RecoveryCounts(
        claims_expired=claims_expire(),
        reservations_released=reservations_reclaim(),
        payments_asked_again=payments_ask_again(),
        releases_sent_again=releases_send_again(),
    )
    if counts:
        logger.info(
            "recovery: %s claim(s) expired, %s reservation(s) released, "
            "%s payment(s) asked again, %s release(s) sent again",
            *astuple(counts),
        )
    return counts


def claims_expire() -> int:
    """Delete Idempotency-Key claims whose request died before placing its order."""
    deleted, _ = claims_expired().delete()
    return deleted


def reservations_reclaim() -> int:
    """Give back the stock of placements that died between catalog and the order."""
    released = 0
    for attempt in list(attempts_stale()[:BATCH]):
        if attempt_reclaim(attempt=attempt):
            logger.info("placement %s died: its stock goes back", attempt.order_ref)
            released += 1
    return released


def payments_ask_again() -> int:
    """Ask payments again for each order it has left pending too long.

    A broker that loses its data loses messages the outbox has marked sent: a
    payments.charge, or payments' answer. Asking again is safe, because payments
    charges an order once and answers every time it is asked.
    """
    now = timezone.now()
    timeout = timedelta(seconds=settings.PAYMENT_TIMEOUT_SECONDS)
    waiting = (
        Order.objects.filter(status=Order.Status.PENDING)
        .filter(payment_asked_at__lt=now - timeout)
        .exclude(card_sealed="")  # older than recovery: nothing to ask with
        .only("total", "currency", "card_sealed", "payment_asks", "payment_asked_at")
        .order_by("payment_asked_at")
    )
    asked = 0
    for order in list(waiting[:BATCH]):
        due = _due(order.payment_asks, order.payment_asked_at, timeout, now)
        if due and _payment_ask_again(order, now):
            asked += 1
    return asked


@transaction.atomic
def _payment_ask_again(order: Order, now: datetime) -> bool:
    """Count the ask and queue the charge together; False if someone else did."""
    # The ask count is the version: of two recoveries, only one finds it unchanged.
    # And an order that became final meanwhile is not asked about.
    taken = Order.objects.filter(
        pk=order.pk, status=Order.Status.PENDING, payment_asks=order.payment_asks
    ).update(payment_asks=F("payment_asks") + 1, payment_asked_at=now)
    if not taken:
        return False
    payment_charge_queue(order=order)
    logger.info(
        "order %s still pending after %s ask(s): payments is asked again",
        order.pk,
        order.payment_asks,
    )
    return True


def releases_send_again() -> int:
    """Send orders.stock_release again for stock catalog has not confirmed giving back.

    Its message may have been lost with the broker's data, after the outbox had
    marked it sent. Catalog releases a reservation once, however often it is asked.
    """
    now = timezone.now()
    timeout = timedelta(seconds=settings.RESERVATION_SECONDS)
    owed = StockRelease.objects.filter(asked_at__lt=now - timeout)
    sent = 0
    for release in list(owed[:BATCH]):
        due = _due(release.asks, release.asked_at, timeout, now)
        if due and _release_send_again(release, now):
            sent += 1
    return sent


@transaction.atomic
def _release_send_again(release: StockRelease, now: datetime) -> bool:
    """Count the ask and queue the message together; False if someone else did."""
    taken = StockRelease.objects.filter(pk=release.pk, asks=release.asks).update(
        asks=F("asks") + 1, asked_at=now
    )
    if not taken:
        return False
    stock_release_send(order_ref=release.order_ref)
    logger.info("stock for %s still owed: released again", release.order_ref)
    return True


def _due(asks: int, asked_at: datetime, timeout: timedelta, now: datetime) -> bool:
    """Asked ``asks`` times, last at ``asked_at``: time to ask again (backing off)?"""
    return now - asked_at >= timeout * min(2 ** (asks - 1), LONGEST_WAIT)
