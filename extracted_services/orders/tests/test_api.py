"""The orders API: every answer CONTRACT.md promises, as a client sees it.

The monolith's tests/monolith/orders/test_api.py, told again: a new order is
``pending`` (payments answers later), and a catalog that is down is a 503.
"""

import re
from datetime import UTC, datetime, timedelta
from http import HTTPStatus

import jwt
import pytest
from django.db import transaction

from extracted_services.chassis.problems import CONTENT_TYPE as PROBLEM
from extracted_services.orders.apis import IDEMPOTENCY_KEY_INVALID, KEY_STILL_IN_USE
from extracted_services.orders.messages import PAYMENTS_CHARGE, STOCK_RELEASE
from extracted_services.orders.models import IdempotencyKey, Order, OutboxMessage
from extracted_services.orders.services import (
    EMPTY_ORDER,
    IDEMPOTENCY_KEY_REUSED,
    INVALID_CARD_NUMBER,
    TOO_MANY_LINES,
    idempotency,
    order_payment_record,
    placement,
)

from .conftest import APPROVED_CARD, TEAPOT
from .factories import OrderFactory, PaidOrderFactory

pytestmark = pytest.mark.django_db

URL = "/api/orders/"
ISO_8601_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def test_placing_an_order_answers_201_with_the_pending_order(
    auth_api_client, order_body, catalog
):
    """The contract's order shape; ``pending`` and no payment until payments answers."""
    response = auth_api_client.post(URL, order_body)

    assert response.status_code == HTTPStatus.CREATED
    body = response.json()
    assert ISO_8601_UTC.match(body.pop("created_at"))
    order_id = body.pop("id")
    assert body == {
        "status": "pending",
        "items": [
            {
                "product_id": TEAPOT,
                "name": "Teapot",
                "unit_price": "12.50",
                "quantity": 2,
                "line_total": "25.00",
            }
        ],
        "total": "25.00",
        "currency": "EUR",
        "shipping": {"name": "Ada Lovelace", "address": "12 St James's Square"},
        "payment": None,
    }
    assert response["Location"] == f"{URL}{order_id}/"
    assert APPROVED_CARD not in response.content.decode()
    assert catalog.stock(TEAPOT) == 3


@pytest.mark.django_db(transaction=True)
def test_the_201_says_pending_even_if_payments_answered_first(
    auth_api_client, order_body, catalog, monkeypatch
):
    """Payments may pay the order between its commit and the answer (the charge is
    sent right after the commit): the 201 is the order as this request recorded it,
    and GET shows what happened since."""
    ask_payments = placement._payment_request

    def payments_answer_at_the_commit(order: Order) -> None:
        ask_payments(order)
        transaction.on_commit(
            lambda: order_payment_record(
                order_id=order.pk, status="approved", card_last4="4242"
            )
        )

    monkeypatch.setattr(placement, "_payment_request", payments_answer_at_the_commit)

    response = auth_api_client.post(URL, order_body)

    assert response.status_code == HTTPStatus.CREATED
    assert response.json()["status"] == "pending"
    assert response.json()["payment"] is None
    assert auth_api_client.get(response["Location"]).json()["status"] == "paid"


@pytest.fixture
def placed(auth_api_client, order_body, catalog):
    return auth_api_client.post(URL, order_body).json()


def test_the_token_says_whose_order_it_is(placed, user):
    """The order is recorded for the token's ``user_id``, with its ``username``."""
    order = Order.objects.get(pk=placed["id"])

    assert (order.user_id, order.username) == (user.id, user.username)


def test_the_request_id_follows_the_order_to_catalog_and_payments(
    auth_api_client, order_body, catalog
):
    """The caller's X-Request-ID goes to catalog and into the outbox row."""
    response = auth_api_client.post(URL, order_body, headers={"X-Request-ID": "lab-7"})

    assert response["X-Request-ID"] == "lab-7"
    assert response["X-Served-By"] == "orders"
    assert [call.request_id for call in catalog.calls] == ["lab-7"]
    assert OutboxMessage.objects.get().request_id == "lab-7"


def test_signing_in_is_required(api_client, order_body, catalog):
    """No credentials: a 401 problem that says how to authenticate; nothing reserved."""
    responses = [api_client.post(URL, order_body), api_client.get(URL)]

    for response in responses:
        assert response.status_code == HTTPStatus.UNAUTHORIZED
        assert response["Content-Type"] == PROBLEM
        assert response["WWW-Authenticate"].startswith("Bearer")
    assert catalog.calls == []


def test_a_token_signed_with_another_key_is_a_401(api_client, user):
    """Only the gateway's signature counts: a forged token is refused."""
    claims = {
        "token_type": "access",
        "user_id": user.id,
        "aud": "shop",
        "iss": "shop-gateway",
        "exp": datetime.now(UTC) + timedelta(minutes=5),
        "jti": "forged",
    }
    forged = jwt.encode(claims, "not-the-gateways-key-" * 3, algorithm="HS256")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {forged}")

    response = api_client.get(URL)

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["Content-Type"] == PROBLEM


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
    auth_api_client, order_body, catalog, change, field
):
    """Each invalid field is named in ``errors``; catalog is not even asked."""
    order_body.update(change)

    response = auth_api_client.post(URL, order_body)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response["Content-Type"] == PROBLEM
    problem = response.json()
    assert problem["type"] == "/problems/validation-error"
    assert list(problem["errors"]) == [field]
    assert not Order.objects.exists()
    assert catalog.calls == []


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


def test_an_unknown_product_is_a_400_on_items(auth_api_client, order_body, catalog):
    """Catalog's message names the missing id, on the ``items`` field."""
    order_body["items"].append({"product_id": 999_999, "quantity": 1})

    response = auth_api_client.post(URL, order_body)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["type"] == "/problems/validation-error"
    assert response.json()["errors"] == {"items": ["Unknown product ids: 999999."]}
    assert not Order.objects.exists()


def test_out_of_stock_is_a_409_problem_naming_the_product(
    auth_api_client, order_body, catalog
):
    """The problem's ``product_id`` and detail say which product ran short."""
    catalog.add_product(8, "Kettle", "30.00", stock=50)
    order_body["items"] = [
        {"product_id": 8, "quantity": 1},
        {"product_id": TEAPOT, "quantity": 6},
    ]

    response = auth_api_client.post(URL, order_body)

    assert response.status_code == HTTPStatus.CONFLICT
    assert response["Content-Type"] == PROBLEM
    assert response.json() == {
        "type": "/problems/out-of-stock",
        "title": "Out of stock",
        "status": HTTPStatus.CONFLICT,
        "detail": "Only 5 of Teapot left in stock.",
        "product_id": TEAPOT,
    }
    assert (catalog.stock(8), catalog.stock(TEAPOT)) == (50, 5)
    assert not Order.objects.exists()


def test_catalog_down_is_a_503_with_retry_after_and_nothing_recorded(
    auth_api_client, order_body, catalog_down
):
    """No order, no charge, no key: the client may simply try again later."""
    response = auth_api_client.post(
        URL, order_body, headers={"Idempotency-Key": "key-1"}
    )

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Content-Type"] == PROBLEM
    assert response.json()["type"] == "/problems/service-unavailable"
    assert int(response["Retry-After"]) > 0
    assert not Order.objects.exists()
    assert not OutboxMessage.objects.exclude(task_name=STOCK_RELEASE).exists()
    assert not IdempotencyKey.objects.exists()
    # The request may have reached catalog before it fell silent: the worker will
    # release that reservation, if there is one, once catalog answers again.
    assert OutboxMessage.objects.filter(task_name=STOCK_RELEASE).count() == 1


def test_a_json_body_is_required(auth_api_client):
    """Nested items have no form-encoded shape: other media types are a 415."""
    response = auth_api_client.post(
        URL, {"card_number": APPROVED_CARD}, format="multipart"
    )

    assert response.status_code == HTTPStatus.UNSUPPORTED_MEDIA_TYPE
    assert response["Content-Type"] == PROBLEM


def test_an_idempotent_replay_answers_200_with_the_same_order(
    auth_api_client, order_body, catalog
):
    """The same key and body: the first order again, one reservation, one charge."""
    headers = {"Idempotency-Key": "3f1b8c1e-2d4a-4c43-9f0e-5b7a1d2c3e4f"}

    first = auth_api_client.post(URL, order_body, headers=headers)
    replay = auth_api_client.post(URL, order_body, headers=headers)

    assert first.status_code == HTTPStatus.CREATED
    assert replay.status_code == HTTPStatus.OK
    assert replay.json() == first.json()
    assert Order.objects.count() == 1
    assert OutboxMessage.objects.filter(task_name=PAYMENTS_CHARGE).count() == 1
    assert len(catalog.calls_to("POST")) == 1
    assert catalog.stock(TEAPOT) == 3


def test_a_key_reused_with_another_body_is_a_422_problem(
    auth_api_client, order_body, catalog
):
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
    assert len(catalog.calls_to("POST")) == 1


def test_a_key_still_in_use_is_a_409_problem_with_retry_after(
    auth_api_client, order_body, catalog, monkeypatch
):
    """The first request with the key never finished: come back in a moment."""
    monkeypatch.setattr(idempotency, "REPLAY_WAIT_SECONDS", 0.1)
    headers = {"Idempotency-Key": "key-1"}
    auth_api_client.post(URL, order_body, headers=headers)
    IdempotencyKey.objects.update(order=None)  # as if it were still placing

    response = auth_api_client.post(URL, order_body, headers=headers)

    assert response.status_code == HTTPStatus.CONFLICT
    assert response["Content-Type"] == PROBLEM
    assert response.json()["type"] == "/problems/idempotency-key-in-use"
    assert response.json()["detail"] == KEY_STILL_IN_USE
    assert response["Retry-After"] == "1"


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
    older = PaidOrderFactory(user_id=user.id)
    newer = PaidOrderFactory(user_id=user.id)
    PaidOrderFactory(user_id=other_user.id)

    response = auth_api_client.get(URL)

    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert (body["count"], body["next"], body["previous"]) == (2, None, None)
    assert [order["id"] for order in body["results"]] == [newer.pk, older.pk]
    assert body["results"][0]["items"][0]["line_total"] == "39.98"


def test_the_list_pages_with_page_size(auth_api_client, user):
    """``?page_size=`` picks the page length, as everywhere in the API."""
    PaidOrderFactory.create_batch(3, user_id=user.id)

    body = auth_api_client.get(URL, {"page_size": 2}).json()

    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert "page=2" in body["next"]


def test_the_list_costs_the_same_queries_for_one_order_or_many(
    auth_api_client, user, django_assert_max_num_queries
):
    """Lines are fetched per page, not per order; the payment is on the order."""
    PaidOrderFactory.create_batch(15, user_id=user.id)

    # count, the page of orders, the page's lines.
    with django_assert_max_num_queries(3):
        response = auth_api_client.get(URL)

    assert len(response.json()["results"]) == 15


def test_one_order_is_yours_to_read(auth_api_client, paid_order):
    """GET /api/orders/<id>/ answers the order, the same shape as in the list."""
    response = auth_api_client.get(f"{URL}{paid_order.pk}/")

    assert response.status_code == HTTPStatus.OK
    assert response.json()["id"] == paid_order.pk
    assert response.json()["payment"] == {
        "status": "approved",
        "card_last4": "4242",
        "failure_reason": "",
    }


def test_another_users_order_is_a_404(other_api_client, paid_order):
    """Not a 403: whether someone else's order exists is none of your business."""
    response = other_api_client.get(f"{URL}{paid_order.pk}/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response["Content-Type"] == PROBLEM
    assert response.json()["status"] == HTTPStatus.NOT_FOUND


def test_a_pending_order_shows_payment_null(auth_api_client, user):
    """``payment`` is null until payments has answered."""
    order = OrderFactory(user_id=user.id)

    response = auth_api_client.get(f"{URL}{order.pk}/")

    assert response.json()["status"] == "pending"
    assert response.json()["payment"] is None


def test_a_browser_gets_the_browsable_api(auth_api_client, paid_order):
    """Asked for HTML, the list and the detail render DRF's browsable API."""
    for url in (URL, f"{URL}{paid_order.pk}/"):
        response = auth_api_client.get(url, HTTP_ACCEPT="text/html")

        assert response.status_code == HTTPStatus.OK
        assert response["Content-Type"].startswith("text/html")
