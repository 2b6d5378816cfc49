"""Orders placed at the same moment: no overselling, and one order per key.

These tests use real transactions (``transaction=True``) and threads, each with
its own database connection, so the locks are the database's own: SQLite's
``BEGIN IMMEDIATE`` by default, ``SELECT ... FOR UPDATE`` on PostgreSQL.
"""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection

from monolith.catalog.services import OutOfStock
from monolith.orders.models import Order
from monolith.orders.services import order_place
from monolith.payments.models import Payment
from monolith.payments.services import APPROVED_CARD
from tests.factories import ProductFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8


@pytest.fixture(autouse=True)
def _database_that_makes_writers_wait():
    # In-memory SQLite (the test default) shares one cache between threads, and its
    # table locks fail at once instead of waiting: the test needs a file or a server.
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


def _place(user, product, idempotency_key=None):
    return order_place(
        user=user,
        items=[(product.pk, 1)],
        card_number=APPROVED_CARD,
        shipping_name="Ada Lovelace",
        shipping_address="12 St James's Square",
        idempotency_key=idempotency_key,
    )


def test_the_last_items_are_sold_once():
    """Eight customers race for three teapots: three orders, five refusals."""
    product = ProductFactory(stock=3)
    users = [UserFactory() for _ in range(THREADS)]

    outcomes = _at_once(lambda user: _place(user, product), users)

    placed = [o for o in outcomes if not isinstance(o, Exception)]
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(placed) == 3
    assert all(isinstance(exc, OutOfStock) for exc in refused), refused
    assert len(refused) == THREADS - 3
    product.refresh_from_db()
    assert product.stock == 0
    assert Order.objects.filter(status=Order.Status.PAID).count() == 3


def test_concurrent_replays_of_one_key_make_one_order_and_one_charge():
    """The same request sent eight times at once: every answer is the same order."""
    product = ProductFactory(stock=10)
    user = UserFactory()

    outcomes = _at_once(
        lambda _: _place(user, product, idempotency_key="double-click"),
        range(THREADS),
    )

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert len({placement.order.pk for placement in outcomes}) == 1
    assert sum(placement.created for placement in outcomes) == 1
    assert Order.objects.count() == 1
    assert Payment.objects.count() == 1
    product.refresh_from_db()
    assert product.stock == 9
