"""Idempotent order placement and stock under concurrency: one order, no oversell."""

import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus
from typing import TypeVar

import httpx

from .helpers import (
    DECLINED_CARD,
    PAYMENT_DEADLINE,
    assert_problem,
    create_product,
    order_body,
    place_order,
    poll,
    product_stock,
    register,
    settled_order,
)

REPLAYED = {HTTPStatus.OK, HTTPStatus.CREATED}
T = TypeVar("T")


def _all_at_once(base_url: str, calls: list[Callable[[httpx.Client], T]]) -> list[T]:
    """Run each call in a thread of its own, all released together by a barrier."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[httpx.Client], T]) -> T:
        with httpx.Client(base_url=base_url, timeout=30) as client:
            barrier.wait(timeout=30)
            return call(client)

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def test_a_replayed_key_returns_the_same_order(api, user, staff):
    """The same Idempotency-Key and body give back the first order, not a new one."""
    product = create_product(api, staff, stock=10)
    key = str(uuid.uuid4())

    first = place_order(api, user, [(product["id"], 2)], idempotency_key=key)
    again = place_order(api, user, [(product["id"], 2)], idempotency_key=key)

    assert first.status_code == HTTPStatus.CREATED
    assert again.status_code in REPLAYED
    assert again.json()["id"] == first.json()["id"]
    assert api.get("/api/orders/", headers=user.headers).json()["count"] == 1
    assert product_stock(api, product["id"]) == 8


def test_concurrent_replays_make_one_order(api, user, staff):
    """Eight simultaneous requests with one key make one order and one charge."""
    product = create_product(api, staff, stock=50)
    key = str(uuid.uuid4())

    def send(client):
        return place_order(client, user, [(product["id"], 3)], idempotency_key=key)

    responses = _all_at_once(str(api.base_url), [send] * 8)

    assert {r.status_code for r in responses} <= REPLAYED, [r.text for r in responses]
    assert len({r.json()["id"] for r in responses}) == 1
    assert api.get("/api/orders/", headers=user.headers).json()["count"] == 1
    settled_order(api, user, responses[0].json()["id"])
    assert product_stock(api, product["id"]) == 47


def test_a_reused_key_with_another_body_is_a_422(api, user, staff):
    """An Idempotency-Key sent again with a different body is a 422 problem."""
    product = create_product(api, staff, stock=10)
    key = str(uuid.uuid4())
    place_order(api, user, [(product["id"], 1)], idempotency_key=key)

    response = place_order(api, user, [(product["id"], 2)], idempotency_key=key)

    assert_problem(response, HTTPStatus.UNPROCESSABLE_ENTITY)
    assert api.get("/api/orders/", headers=user.headers).json()["count"] == 1


def test_keys_belong_to_their_user(api, user, other_user, staff):
    """Two users who happen to send the same key each get their own order."""
    product = create_product(api, staff, stock=10)
    key = str(uuid.uuid4())

    mine = place_order(api, user, [(product["id"], 1)], idempotency_key=key)
    theirs = place_order(api, other_user, [(product["id"], 1)], idempotency_key=key)

    assert mine.status_code == theirs.status_code == HTTPStatus.CREATED
    assert mine.json()["id"] != theirs.json()["id"]


def test_concurrent_orders_never_oversell(api, staff):
    """Ten customers racing for the last three items: stock never goes negative."""
    initial = 3
    product = create_product(api, staff, stock=initial)
    buyers = [register(api, prefix="racer") for _ in range(10)]

    results = _all_at_once(
        str(api.base_url),
        [
            lambda client, b=buyer: (b, place_order(client, b, [(product["id"], 1)]))
            for buyer in buyers
        ],
    )

    statuses = [response.status_code for _, response in results]
    assert set(statuses) <= {HTTPStatus.CREATED, HTTPStatus.CONFLICT}, statuses
    assert HTTPStatus.CONFLICT in statuses
    settled = [
        settled_order(api, buyer, response.json()["id"])
        for buyer, response in results
        if response.status_code == HTTPStatus.CREATED
    ]
    sold = sum(o["items"][0]["quantity"] for o in settled if o["status"] != "failed")
    assert sold <= initial
    assert product_stock(api, product["id"]) == initial - sold >= 0


def test_concurrent_failed_payments_give_all_the_stock_back(api, staff):
    """Declined orders racing each other release exactly what they reserved."""
    product = create_product(api, staff, stock=4)
    buyer = register(api, prefix="declined")

    def send(client):
        return client.post(
            "/api/orders/",
            json=order_body([(product["id"], 1)], card=DECLINED_CARD),
            headers=buyer.headers,
        )

    responses = _all_at_once(str(api.base_url), [send] * 6)

    statuses = {r.status_code for r in responses}
    assert statuses <= {HTTPStatus.CREATED, HTTPStatus.CONFLICT}, statuses
    created = [r for r in responses if r.status_code == HTTPStatus.CREATED]
    for response in created:
        assert settled_order(api, buyer, response.json()["id"])["status"] == "failed"
    # On the services stack the release follows the failure (the saga's
    # compensation, a message away): wait for it, within the payment deadline.
    stock = poll(
        lambda: product_stock(api, product["id"]),
        lambda stock: stock == 4,
        timeout=PAYMENT_DEADLINE,
    )
    assert stock == 4
