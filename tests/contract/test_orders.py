"""The orders API: placing orders, validation, ownership and the payment outcome."""

from decimal import Decimal
from http import HTTPStatus

import pytest

from .helpers import (
    APPROVED_CARD,
    DECLINED_CARD,
    INSUFFICIENT_FUNDS_CARD,
    PAYMENT_DEADLINE,
    SHIPPING,
    assert_field_error,
    assert_money,
    assert_problem,
    assert_timestamp,
    create_product,
    order_body,
    place_order,
    poll,
    product_stock,
    settled_order,
)

ORDER_FIELDS = {
    "id", "status", "items", "total", "currency",
    "shipping", "payment", "created_at",
}  # fmt: skip
LINE_FIELDS = {"product_id", "name", "unit_price", "quantity", "line_total"}


@pytest.fixture
def product(api, staff):
    """A product of the test's own, so stock counts are the test's alone."""
    return create_product(api, staff, stock=10, price="12.50")


def test_placing_an_order_returns_it(api, user, staff, product):
    """POST /api/orders/ is 201 with the whole order: lines, totals, shipping."""
    second = create_product(api, staff, stock=10, price="0.99")

    response = place_order(api, user, [(product["id"], 2), (second["id"], 3)])

    assert response.status_code == HTTPStatus.CREATED
    order = response.json()
    assert set(order) == ORDER_FIELDS
    assert isinstance(order["id"], int)
    assert order["status"] in {"pending", "paid"}
    assert order["currency"] == "EUR"
    assert order["shipping"] == SHIPPING
    assert_timestamp(order["created_at"])
    assert [set(line) for line in order["items"]] == [LINE_FIELDS, LINE_FIELDS]
    assert [
        (line["product_id"], line["name"], line["unit_price"], line["quantity"])
        for line in order["items"]
    ] == [
        (product["id"], product["name"], "12.50", 2),
        (second["id"], second["name"], "0.99", 3),
    ]
    for line in order["items"]:
        assert_money(line["line_total"])
        assert (
            Decimal(line["line_total"])
            == Decimal(line["unit_price"]) * line["quantity"]
        )
    assert order["total"] == "27.97"
    if order["payment"] is not None:
        assert set(order["payment"]) == {"status", "card_last4", "failure_reason"}


def test_an_order_keeps_the_price_it_was_bought_at(api, user, staff, product):
    """A later price change does not change the lines of an existing order."""
    order = place_order(api, user, [(product["id"], 1)]).json()
    api.patch(f"/api/products/{product['id']}/", json={"price": "99.00"}, headers=staff)

    again = api.get(f"/api/orders/{order['id']}/", headers=user.headers).json()

    assert again["items"][0]["unit_price"] == "12.50"
    assert again["total"] == "12.50"


@pytest.mark.parametrize(
    ("card", "status", "payment_status", "reason"),
    [
        (APPROVED_CARD, "paid", "approved", ""),
        (DECLINED_CARD, "failed", "declined", "card_declined"),
        (INSUFFICIENT_FUNDS_CARD, "failed", "declined", "insufficient_funds"),
    ],
    ids=["approved", "declined", "insufficient-funds"],
)
def test_the_test_card_decides_the_outcome(
    api, user, product, card, status, payment_status, reason
):
    """Within 10 s the order is paid or failed as its test card says."""
    response = place_order(api, user, [(product["id"], 2)], card=card)
    assert response.status_code == HTTPStatus.CREATED

    order = settled_order(api, user, response.json()["id"])

    assert order["status"] == status
    payment = order["payment"]
    assert set(payment) == {"status", "card_last4", "failure_reason"}
    assert (payment["status"], payment["card_last4"]) == (payment_status, card[-4:])
    assert (payment["failure_reason"] or "") == reason


def test_a_paid_order_keeps_its_stock(api, user, product):
    """Stock taken by a paid order stays taken."""
    order = place_order(api, user, [(product["id"], 4)]).json()
    settled_order(api, user, order["id"])

    assert product_stock(api, product["id"]) == 6


@pytest.mark.parametrize("card", [DECLINED_CARD, INSUFFICIENT_FUNDS_CARD])
def test_a_failed_payment_puts_the_stock_back(api, user, product, card):
    """When the card is declined, the reserved stock is released."""
    order = place_order(api, user, [(product["id"], 4)], card=card).json()

    assert settled_order(api, user, order["id"])["status"] == "failed"
    # On the services stack the release follows the failure (the saga's
    # compensation, a message away): wait for it, within the payment deadline.
    stock = poll(
        lambda: product_stock(api, product["id"]),
        lambda stock: stock == 10,
        timeout=PAYMENT_DEADLINE,
    )
    assert stock == 10


def _bad_bodies(product_id: int, many_ids: list[int]) -> dict[str, tuple[dict, str]]:
    def body(**changes):
        return {**order_body([(product_id, 1)]), **changes}

    return {
        "empty-items": (body(items=[]), "items"),
        "21-lines": (
            body(items=[{"product_id": i, "quantity": 1} for i in many_ids]),
            "items",
        ),
        "quantity-0": (
            body(items=[{"product_id": product_id, "quantity": 0}]),
            "items",
        ),
        "quantity-100": (
            body(items=[{"product_id": product_id, "quantity": 100}]),
            "items",
        ),
        "unknown-product": (
            body(items=[{"product_id": 987654321, "quantity": 1}]),
            "items",
        ),
        "bad-luhn": (body(card_number="4242424242424241"), "card_number"),
        "no-shipping": (body(shipping={}), "shipping"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "empty-items",
        "21-lines",
        "quantity-0",
        "quantity-100",
        "unknown-product",
        "bad-luhn",
        "no-shipping",
    ],
)
def test_invalid_orders_are_400_naming_the_field(api, user, product, case):
    """Bad items, quantities outside 1..99 and non-Luhn cards are field errors."""
    many = api.get("/api/products/", params={"page_size": 21}).json()["results"]
    body, field = _bad_bodies(product["id"], [p["id"] for p in many])[case]
    assert len(many) == 21

    response = api.post("/api/orders/", json=body, headers=user.headers)

    assert_field_error(response, field)
    assert product_stock(api, product["id"]) == 10


def test_more_than_the_stock_is_a_409_naming_the_product(api, user, staff):
    """Ordering more than is in stock is a 409 ``out-of-stock`` problem."""
    scarce = create_product(api, staff, stock=1)

    response = place_order(api, user, [(scarce["id"], 2)])

    body = assert_problem(response, HTTPStatus.CONFLICT)
    assert body["type"].endswith("out-of-stock")
    assert scarce["name"] in body["detail"]
    assert body.get("product_id", scarce["id"]) == scarce["id"]
    assert product_stock(api, scarce["id"]) == 1


def test_an_order_needs_a_signed_in_user(api, product):
    """Placing or listing orders anonymously is a 401 problem."""
    placed = api.post("/api/orders/", json=order_body([(product["id"], 1)]))

    assert_problem(placed, HTTPStatus.UNAUTHORIZED)
    assert_problem(api.get("/api/orders/"), HTTPStatus.UNAUTHORIZED)
    assert product_stock(api, product["id"]) == 10


def test_orders_are_listed_newest_first(api, user, product):
    """GET /api/orders/ is a page of the user's orders, the newest first."""
    first = place_order(api, user, [(product["id"], 1)]).json()
    second = place_order(api, user, [(product["id"], 1)]).json()

    response = api.get("/api/orders/", headers=user.headers)

    assert response.status_code == HTTPStatus.OK
    page = response.json()
    assert page["count"] == 2
    assert [o["id"] for o in page["results"]] == [second["id"], first["id"]]
    assert set(page["results"][0]) == ORDER_FIELDS


def test_a_user_lists_only_their_own_orders(api, user, other_user, product):
    """Another user's orders never appear in the list."""
    place_order(api, user, [(product["id"], 1)])

    page = api.get("/api/orders/", headers=other_user.headers).json()

    assert page["count"] == 0
    assert page["results"] == []


def test_another_users_order_is_a_404(api, user, other_user, product):
    """Another user's order is a 404."""
    order = place_order(api, user, [(product["id"], 1)]).json()

    response = api.get(f"/api/orders/{order['id']}/", headers=other_user.headers)

    assert_problem(response, HTTPStatus.NOT_FOUND)


def test_an_unknown_order_is_a_404(api, user):
    """An order id that does not exist is a 404 problem."""
    assert_problem(
        api.get("/api/orders/987654321/", headers=user.headers), HTTPStatus.NOT_FOUND
    )


@pytest.mark.parametrize("card", [APPROVED_CARD, DECLINED_CARD])
def test_the_card_number_is_never_returned(api, user, product, card):
    """Neither the order, the list nor a card error shows the full card number."""
    placed = place_order(api, user, [(product["id"], 1)], card=card)
    order = settled_order(api, user, placed.json()["id"])
    invalid = "4242424242424241"
    refused = api.post(
        "/api/orders/",
        json={**order_body([(product["id"], 1)]), "card_number": invalid},
        headers=user.headers,
    )

    seen = [
        placed.text,
        api.get(f"/api/orders/{order['id']}/", headers=user.headers).text,
        api.get("/api/orders/", headers=user.headers).text,
        refused.text,
    ]
    assert all(card not in text and invalid not in text for text in seen)
    assert order["payment"]["card_last4"] == card[-4:]
