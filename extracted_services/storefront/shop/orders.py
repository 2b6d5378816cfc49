"""The orders' part of ``RemoteShop``: the orders service, as the signed-in user.

Its answers are small dataclasses that templates read as they read the monolith's
``Order``, ``OrderLine`` and ``Payment`` (``get_status_display`` and the rest).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from http import HTTPStatus
from typing import Any

import httpx
from django.core.paginator import Page
from django.db.models import TextChoices
from django.urls import reverse
from django.utils.dateparse import parse_datetime

from monolith.orders.models import Order
from monolith.payments.models import Payment
from monolith.shop import IdempotencyKeyReused, NotFound, Refused

from .accounts import AccountCalls
from .base import json_of, page_of, refusal, with_objects


@dataclass(frozen=True)
class RemoteOrderLine:
    product_id: int
    name: str
    unit_price: Decimal
    quantity: int

    @property
    def line_total(self) -> Decimal:
        return self.unit_price * self.quantity


class RemoteLines(tuple[RemoteOrderLine, ...]):
    """An order's lines, readable as ``order.lines.all`` like a related manager."""

    def all(self) -> "RemoteLines":
        return self


@dataclass(frozen=True)
class RemotePayment:
    status: str
    card_last4: str
    failure_reason: str

    def get_status_display(self) -> str:
        return _label(Payment.Status, self.status)

    def get_failure_reason_display(self) -> str:
        return _label(Payment.FailureReason, self.failure_reason)


@dataclass(frozen=True)
class RemoteOrder:
    id: int
    status: str
    lines: RemoteLines
    total: Decimal
    currency: str
    shipping_name: str
    shipping_address: str
    payment: RemotePayment | None
    created_at: datetime | None

    def __str__(self) -> str:
        return f"Order #{self.id} ({self.status})"

    @property
    def pk(self) -> int:
        return self.id

    def get_absolute_url(self) -> str:
        return reverse("orders:order-detail", kwargs={"order_id": self.id})

    def get_status_display(self) -> str:
        return _label(Order.Status, self.status)

    @property
    def is_final(self) -> bool:
        return self.status != Order.Status.PENDING


def _label(choices: type[TextChoices], value: str) -> str:
    """The monolith's label for a choice's value; the value itself if it is new."""
    return dict(choices.choices).get(value, value)


class OrderCalls(AccountCalls):
    """Placing and reading orders, with the user's token (``AccountCalls._as_user``)."""

    def order_place(
        self,
        *,
        items: Iterable[tuple[int, int]],
        card_number: str,
        shipping_name: str,
        shipping_address: str,
        idempotency_key: str | None = None,
    ) -> RemoteOrder:
        body = {
            "items": [{"product_id": pk, "quantity": qty} for pk, qty in items],
            "card_number": card_number,
            "shipping": {"name": shipping_name, "address": shipping_address},
        }
        # With a key, sending the order twice places it once: safe to retry.
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        response = self._as_user(
            "POST", "/api/orders/", json=body, headers=headers, idempotent=bool(headers)
        )
        if response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY:
            raise IdempotencyKeyReused
        if response.status_code in (HTTPStatus.BAD_REQUEST, HTTPStatus.CONFLICT):
            # Field errors (an unknown product), or out of stock: above the form, as
            # the monolith shows them.
            raise Refused({None: refusal(response).messages})
        return _order(json_of(response))

    def order_page(self, *, number: Any, per_page: int) -> Page[Any]:
        def fetch(n: int) -> httpx.Response:
            params = {"page": n, "page_size": per_page}
            return self._as_user("GET", "/api/orders/", params=params)

        return with_objects(page_of(fetch, number, per_page), _order)

    def order(self, *, order_id: int) -> RemoteOrder:
        response = self._as_user("GET", f"/api/orders/{order_id}/")
        if response.status_code == HTTPStatus.NOT_FOUND:
            raise NotFound
        return _order(json_of(response))


def _order(body: dict[str, Any]) -> RemoteOrder:
    payment = body["payment"]
    return RemoteOrder(
        id=body["id"],
        status=body["status"],
        lines=RemoteLines(
            RemoteOrderLine(
                product_id=line["product_id"],
                name=line["name"],
                unit_price=Decimal(line["unit_price"]),
                quantity=line["quantity"],
            )
            for line in body["items"]
        ),
        total=Decimal(body["total"]),
        currency=body["currency"],
        shipping_name=body["shipping"]["name"],
        shipping_address=body["shipping"]["address"],
        payment=RemotePayment(**payment) if payment else None,
        created_at=parse_datetime(body["created_at"]),
    )
