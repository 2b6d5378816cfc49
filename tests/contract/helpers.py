"""Helpers for the contract tests: users with tokens, products, orders, polling."""

import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from http import HTTPStatus
from typing import TypeVar

import httpx

PROBLEM_JSON = "application/problem+json"
PROBLEM_KEYS = {"type", "title", "status", "detail"}
MONEY = re.compile(r"^\d+\.\d{2}$")
PASSWORD = "plum-orchard-47-lantern"  # passes Django's password validators

APPROVED_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000002"
INSUFFICIENT_FUNDS_CARD = "4000000000009995"
SHIPPING = {"name": "Ada Lovelace", "address": "12 St James's Square, London"}
PAYMENT_DEADLINE = 10  # seconds: the contract's bound for pending -> paid/failed
TOKEN_REUSE_SECONDS = 240  # renew the staff token before SimpleJWT's 5-minute expiry

T = TypeVar("T")


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


@dataclass(frozen=True)
class User:
    username: str
    password: str
    email: str
    access: str
    refresh: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access}"}


def register(client: httpx.Client, prefix: str = "shopper") -> User:
    """Sign up a new user through the API and sign in for a token pair."""
    username = unique(prefix)
    email = f"{username}@example.com"
    signed_up = client.post(
        "/api/auth/register/",
        json={"username": username, "email": email, "password": PASSWORD},
    )
    assert signed_up.status_code == HTTPStatus.CREATED, signed_up.text
    tokens = obtain_tokens(client, username, PASSWORD)
    return User(username, PASSWORD, email, tokens["access"], tokens["refresh"])


def obtain_tokens(client: httpx.Client, username: str, password: str) -> dict:
    response = client.post(
        "/api/auth/token/", json={"username": username, "password": password}
    )
    assert response.status_code == HTTPStatus.OK, response.text
    return response.json()


def bearer(access: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {access}"}


class StaffTokens:
    """The staff user's access token, shared by a session's tests and renewed."""

    def __init__(self, stack):
        self.stack = stack
        self._access = ""
        self._fetched_at = -float("inf")

    def headers(self, client: httpx.Client) -> dict[str, str]:
        if time.monotonic() - self._fetched_at > TOKEN_REUSE_SECONDS:
            tokens = obtain_tokens(
                client, self.stack.staff_username, self.stack.staff_password
            )
            self._access, self._fetched_at = tokens["access"], time.monotonic()
        return bearer(self._access)


def create_product(
    client: httpx.Client, staff: dict[str, str], *, stock: int, **fields
) -> dict:
    """A product of the test's own, made through the staff API."""
    category = fields.pop("category", None) or first_category(client)
    body = {
        "sku": unique("SKU")[:32],
        "name": unique("Contract product"),
        "description": "Made by a contract test.",
        "category": category,
        "price": "12.50",
        "stock": stock,
        **fields,
    }
    response = client.post("/api/products/", json=body, headers=staff)
    assert response.status_code == HTTPStatus.CREATED, response.text
    return response.json()


def first_category(client: httpx.Client) -> str:
    response = client.get("/api/categories/")
    assert response.status_code == HTTPStatus.OK, response.text
    return response.json()[0]["slug"]


def product_stock(client: httpx.Client, product_id: int) -> int:
    response = client.get(f"/api/products/{product_id}/")
    assert response.status_code == HTTPStatus.OK, response.text
    return response.json()["stock"]


def order_body(
    items: list[tuple[int, int]], *, card: str = APPROVED_CARD
) -> dict[str, object]:
    return {
        "items": [{"product_id": pid, "quantity": qty} for pid, qty in items],
        "card_number": card,
        "shipping": SHIPPING,
    }


def place_order(
    client: httpx.Client,
    user: User,
    items: list[tuple[int, int]],
    *,
    card: str = APPROVED_CARD,
    idempotency_key: str | None = None,
) -> httpx.Response:
    headers = dict(user.headers)
    if idempotency_key is not None:
        headers["Idempotency-Key"] = idempotency_key
    return client.post(
        "/api/orders/", json=order_body(items, card=card), headers=headers
    )


def poll(
    fetch: Callable[[], T],
    done: Callable[[T], bool],
    *,
    timeout: float,
    interval: float = 0.2,
) -> T:
    """Call ``fetch`` until ``done`` holds for its result, or fail at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        result = fetch()
        if done(result):
            return result
        assert time.monotonic() < deadline, f"not done after {timeout}s: {result!r}"
        time.sleep(interval)


def settled_order(client: httpx.Client, user: User, order_id: int) -> dict:
    """The order once its payment is decided (paid or failed), within the deadline."""

    def fetch() -> dict:
        response = client.get(f"/api/orders/{order_id}/", headers=user.headers)
        assert response.status_code == HTTPStatus.OK, response.text
        return response.json()

    return poll(
        fetch, lambda order: order["status"] != "pending", timeout=PAYMENT_DEADLINE
    )


def assert_problem(response: httpx.Response, status: HTTPStatus) -> dict:
    """The response is an RFC 9457 problem with this status; return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    body = response.json()
    assert body.keys() >= PROBLEM_KEYS
    assert body["status"] == status
    assert isinstance(body["title"], str)
    assert body["title"]
    assert isinstance(body["detail"], str)
    return body


def assert_field_error(response: httpx.Response, field: str) -> dict:
    """A 400 validation problem whose ``errors`` name ``field`` (or a part of it)."""
    body = assert_problem(response, HTTPStatus.BAD_REQUEST)
    errors = body["errors"]
    named = [key for key in errors if key == field or key.startswith(f"{field}.")]
    assert named, f"{field!r} not among the fields in errors: {errors}"
    assert all(isinstance(m, str) and m for key in named for m in errors[key])
    return body


def assert_money(value: object) -> None:
    assert isinstance(value, str)
    assert MONEY.match(value), value


def assert_timestamp(value: object) -> datetime:
    """An ISO 8601 date-time with a timezone."""
    assert isinstance(value, str)
    moment = datetime.fromisoformat(value)
    assert moment.tzinfo is not None, value
    return moment
