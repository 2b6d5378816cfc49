"""Scenarios that order: time to paid, and orders as fast as they go."""

import time
from http import HTTPStatus
from typing import Any

from .http import bearer, call, note_trace

APPROVED_CARD = "4242424242424242"
SHIPPING = {"name": "Bench Shopper", "address": "1 Loopback Lane, 127.0.0.1"}
POLL_INTERVAL = 0.02  # seconds between two looks at a pending order (time-to-paid)
PAYMENT_DEADLINE = 10.0  # the contract's bound for pending -> paid or failed
SCARCE_SHARE = 4  # order-rush: one order in 4 goes for the scarce product


def place_order(visitor, product_id: int, *, expect=(HTTPStatus.CREATED,)) -> Any:
    body = {
        "items": [{"product_id": product_id, "quantity": 1}],
        "card_number": APPROVED_CARD,
        "shipping": SHIPPING,
    }
    response = call(
        visitor, "POST", "/api/orders/", name="/api/orders/ (POST)", expect=expect,
        json=body, headers=bearer(visitor),
    )  # fmt: skip
    if response.status_code == HTTPStatus.CREATED:
        visitor.accept({product_id: 1})
    return response


def time_to_paid_step(visitor) -> None:
    """Place an order, then look at it until it is paid: the time a customer waits."""
    started = time.monotonic()
    response = place_order(visitor, visitor.rng.choice(visitor.data["order_ids"]))
    if response.status_code != HTTPStatus.CREATED:
        return  # the POST itself is the error
    # Its trace goes on after the answer: outbox, Celery, payments, and back.
    note_trace(visitor, response)
    order = response.json()
    deadline = started + PAYMENT_DEADLINE
    while order["status"] == "pending" and time.monotonic() < deadline:
        visitor.sleep(POLL_INTERVAL)
        response = call(
            visitor, "GET", f"/api/orders/{order['id']}/", name="/api/orders/[id]/",
            headers=bearer(visitor),
        )  # fmt: skip
        if response.status_code != HTTPStatus.OK:
            return
        order = response.json()
    problem = None if order["status"] == "paid" else f"order {order['status']}"
    visitor.flow("time to paid", started, problem=problem)


def order_rush_step(visitor) -> None:
    """Orders as fast as they go; some race for the last items of a scarce product."""
    started = time.monotonic()
    if visitor.rng.randrange(SCARCE_SHARE) == 0:
        product_id = visitor.data["scarce_id"]
    else:
        product_id = visitor.rng.choice(visitor.data["order_ids"])
    expect = (HTTPStatus.CREATED, HTTPStatus.CONFLICT)  # 409: sold out, as it should
    response = place_order(visitor, product_id, expect=expect)
    if response.status_code == HTTPStatus.CREATED:
        visitor.flow("order placed", started)
