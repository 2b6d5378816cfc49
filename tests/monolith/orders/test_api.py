"""The orders API: every answer CONTRACT.md promises, as a client sees it."""

import re
from http import HTTPStatus

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from monolith.core.problems import CONTENT_TYPE as PROBLEM
from monolith.orders.apis import IDEMPOTENCY_KEY_INVALID
from monolith.orders.models import Order
from monolith.orders.services import (
    EMPTY_ORDER,
    IDEMPOTENCY_KEY_REUSED,
    INVALID_CARD_NUMBER,
    TOO_MANY_LINES,
)
from monolith.payments.services import APPROVED_CARD, DECLINED_CARD
from tests.factories import ProductFactory

from .factories import PaidOrderFactory

pytestmark = pytest.mark.django_db

URL = "/api/orders/"
ISO_8601_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def test_placing_an_order_answers_201_with_the_whole_order(
    auth_api_client, order_body, stocked_product
):
    """The contract's order shape: money as strings, the card as its last 4."""
    response = auth_api_client.post(URL, order_body)

    assert response.status_code == HTTPStatus.CREATED
    body = response.json()
    assert ISO_8601_UTC.match(body.pop("created_at"))
    order_id = body.pop("id")
    assert body == {
        "status": "paid",
        "items": [
            {
                "product_id": stocked_product.pk,
                "name": "Teapot",
                "unit_price": "12.50",
                "quantity": 2,
                "line_total": "25.00",
            }
        ],
        "total": "25.00",
        "currency": "EUR",
        "shipping": {"name": "Ada Lovelace", "address": "12 St James's Square"},
        "payment": {"status": "approved", "card_last4": "4242", "failure_reason": ""},
    }
    assert response["Location"] == f"{URL}{order_id}/"
    assert APPROVED_CARD not in response.content.decode()


def test_a_declined_card_is_a_placed_order_that_failed(auth_api_client, order_body):
    """The order exists, ``failed``, and its payment says why."""
    order_body["card_number"] = DECLINED_CARD

    response = auth_api_client.post(URL, order_body)

    assert response.status_code == HTTPStatus.CREATED
    assert response.json()["status"] == "failed"
    assert response.json()["payment"] == {
        "status": "declined",
        "card_last4": "0002",
        "failure_reason": "card_declined",
    }


def test_signing_in_is_required(api_client, order_body):
    """No credentials: a 401 problem that says how to authenticate."""
    responses = [api_client.post(URL, order_body), api_client.get(URL)]

    for response in responses:
        assert response.status_code == HTTPStatus.UNAUTHORIZED
        assert response["Content-Type"] == PROBLEM
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_bearer_token_signs_the_client_in(user, order_body):
    """The JWT from /api/auth/token/ is what API clients send."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")

    response = client.post(URL, order_body)

    assert response.status_code == HTTPStatus.CREATED


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"items": []}, "items"),
        ({"items": [{"product_id": 1, "quantity": 0}]}, "items.0.quantity"),
        ({"items": [{"product_id": 1, "quantity": 100}]}, "items.0.quantity"),
        ({"items": [{"quantity": 1}]}, "items.0.product_id"),
        ({"items": [{"product_id": 10**30, "quantity": 1}]}, "items.0.product_id"),
        ({"card_number": "4242 4242 4242 4241"}, "card_number"),
        ({"card_number": ""}, "card_number"),
        ({"shipping": {"address": "Somewhere"}}, "shipping.name"),
        ({"shipping": {"name": "Ada", "address": " "}}, "shipping.address"),
        ({"shipping": None}, "shipping"),
    ],
)
def test_invalid_fields_are_a_400_problem_naming_them(
    auth_api_client, order_body, change, field
):
    """Each invalid field is named in ``errors``, with dotted paths for nested ones."""
    order_body.update(change)

    response = auth_api_client.post(URL, order_body)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response["Content-Type"] == PROBLEM
    problem = response.json()
    assert problem["type"] == "/problems/validation-error"
    assert list(problem["errors"]) == [field]
    assert not Order.objects.exists()


def test_the_validation_messages_are_the_documented_ones(auth_api_client, order_body):
    """Empty items, too many lines and a bad card number say so plainly."""
    items = [{"product_id": n, "quantity": 1} for n in range(1, 22)]
    cases = [
        ({"items": []}, "items", EMPTY_ORDER),
        ({"items": items}, "items", TOO_MANY_LINES),
        ({"card_number": "1234 5678 9012 3456"}, "card_number", INVALID_CARD_NUMBER),
    ]
    for change, field, message in cases:
        response = auth_api_client.post(URL, {**order_body, **change})

        assert response.json()["errors"] == {field: [message]}


def test_an_unknown_product_is_a_400_on_items(auth_api_client, order_body):
    """The error names the missing id, on the ``items`` field."""
    order_body["items"].append({"product_id": 999_999, "quantity": 1})

    response = auth_api_client.post(URL, order_body)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["errors"] == {"items": ["Unknown product ids: 999999."]}


def test_out_of_stock_is_a_409_problem_naming_the_product(
    auth_api_client, order_body, stocked_product
):
    """The problem's ``product_id`` and detail say which product ran short."""
    order_body["items"] = [
        {"product_id": ProductFactory(stock=50).pk, "quantity": 1},
        {"product_id": stocked_product.pk, "quantity": 6},
    ]

    response = auth_api_client.post(URL, order_body)

    assert response.status_code == HTTPStatus.CONFLICT
    assert response["Content-Type"] == PROBLEM
    assert response.json() == {
        "type": "/problems/out-of-stock",
        "title": "Out of stock",
        "status": HTTPStatus.CONFLICT,
        "detail": "Only 5 of Teapot left in stock.",
        "product_id": stocked_product.pk,
    }
    stocked_product.refresh_from_db()
    assert stocked_product.stock == 5


def test_a_json_body_is_required(auth_api_client, order_body):
    """Nested items have no form-encoded shape: other media types are a 415."""
    response = auth_api_client.post(
        URL, {"card_number": APPROVED_CARD}, format="multipart"
    )

    assert response.status_code == HTTPStatus.UNSUPPORTED_MEDIA_TYPE
    assert response["Content-Type"] == PROBLEM


def test_an_idempotent_replay_answers_200_with_the_same_order(
    auth_api_client, order_body, stocked_product
):
    """The same key and body: the first order again, and no second charge."""
    headers = {"Idempotency-Key": "3f1b8c1e-2d4a-4c43-9f0e-5b7a1d2c3e4f"}

    first = auth_api_client.post(URL, order_body, headers=headers)
    replay = auth_api_client.post(URL, order_body, headers=headers)

    assert first.status_code == HTTPStatus.CREATED
    assert replay.status_code == HTTPStatus.OK
    assert replay.json() == first.json()
    assert Order.objects.count() == 1
    stocked_product.refresh_from_db()
    assert stocked_product.stock == 3


def test_a_key_reused_with_another_body_is_a_422_problem(auth_api_client, order_body):
    """A different body under a used key is refused, not placed or replayed."""
    headers = {"Idempotency-Key": "key-1"}
    auth_api_client.post(URL, order_body, headers=headers)
    order_body["items"][0]["quantity"] = 1

    response = auth_api_client.post(URL, order_body, headers=headers)

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response["Content-Type"] == PROBLEM
    assert response.json()["type"] == "/problems/idempotency-key-reused"
    assert response.json()["detail"] == IDEMPOTENCY_KEY_REUSED
    assert Order.objects.count() == 1


@pytest.mark.parametrize("key", ["", "k" * 256])
def test_an_idempotency_key_has_1_to_255_characters(auth_api_client, order_body, key):
    """An empty or too long key is a 400 on the header."""
    response = auth_api_client.post(URL, order_body, headers={"Idempotency-Key": key})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["errors"] == {"Idempotency-Key": [IDEMPOTENCY_KEY_INVALID]}


def test_the_list_is_a_page_of_your_orders_newest_first(
    auth_api_client, user, other_user
):
    """Other users' orders are not in it."""
    older, newer = PaidOrderFactory(user=user), PaidOrderFactory(user=user)
    PaidOrderFactory(user=other_user)

    response = auth_api_client.get(URL)

    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert (body["count"], body["next"], body["previous"]) == (2, None, None)
    assert [order["id"] for order in body["results"]] == [newer.pk, older.pk]
    assert body["results"][0]["items"][0]["line_total"] == "39.98"


def test_the_list_pages_with_page_size(auth_api_client, user):
    """``?page_size=`` picks the page length, as everywhere in the API."""
    PaidOrderFactory.create_batch(3, user=user)

    body = auth_api_client.get(URL, {"page_size": 2}).json()

    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert "page=2" in body["next"]


def test_the_list_costs_the_same_queries_for_one_order_or_many(
    auth_api_client, user, django_assert_max_num_queries
):
    """Lines and payments are fetched per page, not per order."""
    PaidOrderFactory.create_batch(15, user=user)

    # count, the page of orders with their payments, the page's lines.
    with django_assert_max_num_queries(3):
        response = auth_api_client.get(URL)

    assert len(response.json()["results"]) == 15


def test_one_order_is_yours_to_read(auth_api_client, paid_order):
    """GET /api/orders/<id>/ answers the order, the same shape as in the list."""
    response = auth_api_client.get(f"{URL}{paid_order.pk}/")

    assert response.status_code == HTTPStatus.OK
    assert response.json()["id"] == paid_order.pk
    assert response.json()["payment"]["card_last4"] == "4242"


def test_another_users_order_is_a_404(other_api_client, paid_order):
    """Not a 403: whether someone else's order exists is none of your business."""
    response = other_api_client.get(f"{URL}{paid_order.pk}/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response["Content-Type"] == PROBLEM
    assert response.json()["status"] == HTTPStatus.NOT_FOUND


def test_an_order_without_payment_shows_null(auth_api_client, user):
    """``payment`` is null until the card is charged (the services stack's pending)."""
    order = PaidOrderFactory(user=user, status=Order.Status.PENDING, payment=None)

    response = auth_api_client.get(f"{URL}{order.pk}/")

    assert response.json()["status"] == "pending"
    assert response.json()["payment"] is None


def test_a_browser_gets_the_browsable_api(auth_api_client, paid_order):
    """Asked for HTML, the list and the detail render DRF's browsable API."""
    for url in (URL, f"{URL}{paid_order.pk}/"):
        response = auth_api_client.get(url, HTTP_ACCEPT="text/html")

        assert response.status_code == HTTPStatus.OK
        assert response["Content-Type"].startswith("text/html")
