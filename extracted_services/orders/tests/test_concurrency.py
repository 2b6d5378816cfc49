"""Replays of one Idempotency-Key at the same moment: one order, one reservation.

Real transactions (``transaction=True``) and threads, each with its own database
connection, as in tests/monolith/orders/test_concurrency.py. There the second request
waits on the database's lock; here it finds the key claimed and waits for the order.
"""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection

from extracted_services.orders.models import IdempotencyKey, Order, OutboxMessage
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
