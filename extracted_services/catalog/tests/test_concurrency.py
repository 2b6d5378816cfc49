"""Reservations under concurrency: never oversold, one order's retries count once.

Real threads, each with its own database connection, against a database file
(settings/test.py) and real commits (``transaction=True``): on SQLite the immediate
transactions queue the writers; on PostgreSQL the row locks do.
"""

import threading
import uuid
from collections import Counter
from collections.abc import Callable
from http import HTTPStatus

import pytest
from django.db import connection
from rest_framework.test import APIClient

from extracted_services.catalog.models import Reservation

from .conftest import service_token_from
from .factories import ProductFactory

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8


def all_at_once(call: Callable[[], int], times: int = THREADS) -> list[int]:
    """Run ``call`` in ``times`` threads released together; return their results."""
    start = threading.Barrier(times)
    results: list[int] = []

    def run() -> None:
        try:
            start.wait()
            results.append(call())  # list.append is atomic: no lock needed
        finally:
            connection.close()  # each thread opened a connection of its own

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def reserve(order_ref: uuid.UUID, product_id: int, quantity: int) -> int:
    client = APIClient()
    client.credentials(HTTP_X_SERVICE_TOKEN=service_token_from("orders"))
    body = {
        "order_ref": str(order_ref),
        "items": [{"product_id": product_id, "quantity": quantity}],
    }
    return client.post("/internal/reservations/", body).status_code


def release(order_ref: uuid.UUID) -> int:
    client = APIClient()
    client.credentials(HTTP_X_SERVICE_TOKEN=service_token_from("orders"))
    return client.delete(f"/internal/reservations/{order_ref}/").status_code


def test_the_last_items_are_never_oversold():
    """8 orders race for 3 teapots: 3 get one each, 5 are told they are sold out."""
    teapot = ProductFactory(stock=3)

    statuses = all_at_once(lambda: reserve(uuid.uuid4(), teapot.pk, 1))

    assert Counter(statuses) == {HTTPStatus.CREATED: 3, HTTPStatus.CONFLICT: 5}
    teapot.refresh_from_db()
    assert teapot.stock == 0
    assert Reservation.objects.count() == 3


def test_retries_of_one_order_racing_each_other_reserve_once():
    """One order_ref sent 8 times at once: one 201, seven 200s, stock taken once."""
    teapot = ProductFactory(stock=10)
    ref = uuid.uuid4()

    statuses = all_at_once(lambda: reserve(ref, teapot.pk, 2))

    assert Counter(statuses) == {HTTPStatus.CREATED: 1, HTTPStatus.OK: 7}
    teapot.refresh_from_db()
    assert teapot.stock == 8


def test_releases_racing_each_other_give_the_stock_back_once():
    """The compensation sent 8 times at once: all 204, the stock comes back once."""
    teapot = ProductFactory(stock=10)
    ref = uuid.uuid4()
    assert reserve(ref, teapot.pk, 4) == HTTPStatus.CREATED

    statuses = all_at_once(lambda: release(ref))

    assert statuses == [HTTPStatus.NO_CONTENT] * THREADS
    teapot.refresh_from_db()
    assert teapot.stock == 10
