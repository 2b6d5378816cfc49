"""Replays of one Idempotency-Key at the same moment: one order, one reservation.
And recoveries running at once in two processes: each chore done once.

Real transactions (``transaction=True``) and threads, each with its own database
connection, as in tests/monolith/orders/test_concurrency.py. There the second request
waits on the database's lock; here it finds the key claimed and waits for the order.
"""

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from threading import Barrier

import pytest
from django.db import connection
from django.utils import timezone

from extracted_services.orders.messages import PAYMENTS_CHARGE, STOCK_RELEASE
from extracted_services.orders.models import (
    IdempotencyKey,
    Order,
    OutboxMessage,
    PlacementAttempt,
)
from extracted_services.orders.recovery import recover_once
from extracted_services.orders.services import KeyStillInUse, idempotency, order_place

from .conftest import APPROVED_CARD, TEAPOT

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8


@pytest.fixture(autouse=True)
def _database_that_makes_writers_wait():
    # In-memory SQLite shares one cache between threads, and its table locks fail at
    # once instead of waiting: these tests need a file (settings.test) or a server.
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("needs a file SQLite database (TEST NAME) or PostgreSQL")


def _at_once(function, arguments: list) -> list:
    """Call ``function`` with each argument in its own thread, all released together.

    Returns what each call returned, or the exception it raised.
    """
    barrier = Barrier(len(arguments))

    def call(argument):
        barrier.wait()
        try:
            return function(argument)
        except Exception as exc:  # collected and checked by the test
            return exc
        finally:
            connection.close()  # each thread has its own connection

    with ThreadPoolExecutor(max_workers=len(arguments)) as pool:
        return list(pool.map(call, arguments))


def _place(user_id: int, idempotency_key: str | None = None):
    return order_place(
        user_id=user_id,
        username="ada",
        items=[(TEAPOT, 1)],
        card_number=APPROVED_CARD,
        shipping_name="Ada Lovelace",
        shipping_address="12 St James's Square",
        idempotency_key=idempotency_key,
    )


def test_concurrent_replays_of_one_key_make_one_order_and_one_reservation(catalog):
    """The same request sent eight times at once: every answer is the same order."""
    outcomes = _at_once(lambda _: _place(41, "double-click"), range(THREADS))

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert len({placement.order.pk for placement in outcomes}) == 1
    assert sum(placement.created for placement in outcomes) == 1
    assert Order.objects.count() == 1
    assert OutboxMessage.objects.count() == 1  # one charge
    assert len(catalog.calls_to("POST")) == 1
    assert catalog.stock(TEAPOT) == 4


def test_a_key_still_being_placed_after_the_wait_is_refused(catalog, monkeypatch):
    """A claim whose order never comes: the replay gives up instead of hanging."""
    monkeypatch.setattr(idempotency, "REPLAY_WAIT_SECONDS", 0.2)
    first = _place(41, "stuck")
    # As if the first request were still talking to catalog: claimed, no order yet.
    IdempotencyKey.objects.filter(key="stuck").update(order=None)

    with pytest.raises(KeyStillInUse):
        _place(41, "stuck")

    assert Order.objects.get() == first.order


def test_an_expired_claim_taken_over_at_once_by_many_places_one_order(
    catalog, settings
):
    """Eight retries find the dead request's expired claim: one takes it, the rest
    replay that one's order."""
    settings.IDEMPOTENCY_CLAIM_SECONDS = 30
    IdempotencyKey.objects.create(user_id=41, key="orphan", request_hash="dead")
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(seconds=31))

    outcomes = _at_once(lambda _: _place(41, "orphan"), range(THREADS))

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sum(placement.created for placement in outcomes) == 1
    assert len({placement.order.pk for placement in outcomes}) == 1
    assert IdempotencyKey.objects.get().order == Order.objects.get()
    assert catalog.stock(TEAPOT) == 4


def test_two_recoveries_at_once_release_a_dead_placement_once(settings):
    """Both find the stale attempt; one release message between them."""
    settings.RESERVATION_SECONDS = 30
    PlacementAttempt.objects.create(
        order_ref=uuid.uuid4(), created_at=timezone.now() - timedelta(seconds=31)
    )

    outcomes = _at_once(lambda _: recover_once(), range(2))

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sum(counts.reservations_released for counts in outcomes) == 1
    assert OutboxMessage.objects.filter(task_name=STOCK_RELEASE).count() == 1
    assert not PlacementAttempt.objects.exists()


def test_two_recoveries_at_once_ask_payments_again_once(catalog, settings):
    """Both find the order pending too long; one payments.charge between them."""
    settings.PAYMENT_TIMEOUT_SECONDS = 20
    order = _place(41).order
    Order.objects.update(payment_asked_at=timezone.now() - timedelta(seconds=21))

    outcomes = _at_once(lambda _: recover_once(), range(2))

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sum(counts.payments_asked_again for counts in outcomes) == 1
    charges = OutboxMessage.objects.filter(task_name=PAYMENTS_CHARGE)
    assert [charge.payload["order_id"] for charge in charges] == [order.pk] * 2
    assert Order.objects.get().payment_asks == 2
