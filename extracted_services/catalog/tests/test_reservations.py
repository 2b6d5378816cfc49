"""The internal API: the orders service reserves stock for an order and releases it."""

import uuid
from http import HTTPStatus

import pytest
from django.conf import settings

from extracted_services.catalog.models import Reservation
from extracted_services.catalog.services import OUT_OF_STOCK, UNKNOWN_PRODUCTS
from extracted_services.chassis import testing_tokens
from extracted_services.chassis.auth import SERVICE_CALLER_REFUSED
from extracted_services.chassis.problems import CONTENT_TYPE

from .conftest import bearer, service_token_from
from .factories import ProductFactory

pytestmark = pytest.mark.django_db

RESERVATIONS = "/internal/reservations/"


def reserve(client, order_ref, *items: tuple[int, int]):
    body = {
        "order_ref": str(order_ref),
        "items": [{"product_id": pid, "quantity": qty} for pid, qty in items],
    }
    return client.post(RESERVATIONS, body)


def release(client, order_ref):
    return client.delete(f"{RESERVATIONS}{order_ref}/")


def stock_of(product) -> int:
    product.refresh_from_db()
    return product.stock


def test_a_reservation_takes_the_stock_and_tells_names_and_prices(internal_client):
    """201 with each line's name, category and price now: the order's snapshot."""
    mug = ProductFactory(name="Mug", price="9.50", stock=5, category__slug="cups")
    pot = ProductFactory(name="Teapot", price="24.00", stock=2, category__slug="pots")
    ref = uuid.uuid4()

    response = reserve(internal_client, ref, (pot.pk, 2), (mug.pk, 1))

    assert response.status_code == HTTPStatus.CREATED
    mug_line = {"product_id": mug.pk, "name": "Mug", "category": "cups"}
    pot_line = {"product_id": pot.pk, "name": "Teapot", "category": "pots"}
    assert response.json() == {
        "order_ref": str(ref),
        "items": [
            {**mug_line, "price": "9.50", "quantity": 1},
            {**pot_line, "price": "24.00", "quantity": 2},
        ],
    }
    assert (stock_of(mug), stock_of(pot)) == (4, 0)


def test_the_same_order_ref_again_takes_nothing_and_answers_the_same(
    internal_client, product
):
    """A retried reservation is a 200 with the first body; the stock is taken once."""
    ref = uuid.uuid4()
    first = reserve(internal_client, ref, (product.pk, 3))

    again = reserve(internal_client, ref, (product.pk, 3))

    assert (first.status_code, again.status_code) == (HTTPStatus.CREATED, HTTPStatus.OK)
    assert again.json() == first.json()
    assert stock_of(product) == 7
    assert Reservation.objects.count() == 1


def test_a_retry_answers_with_the_snapshot_not_todays_price(internal_client, product):
    """The reservation remembers the name and price the order was first told."""
    ref = uuid.uuid4()
    first = reserve(internal_client, ref, (product.pk, 1))
    product.price, product.name = "1.00", "Renamed"
    product.save()

    again = reserve(internal_client, ref, (product.pk, 1))

    assert again.json() == first.json()


def test_two_lines_of_one_product_become_one(internal_client, product):
    """Quantities of the same product add up to one line."""
    response = reserve(internal_client, uuid.uuid4(), (product.pk, 2), (product.pk, 3))

    assert [line["quantity"] for line in response.json()["items"]] == [5]
    assert stock_of(product) == 5


def test_one_line_short_of_stock_takes_nothing(internal_client):
    """All or nothing: a 409 out-of-stock problem naming the product short of stock."""
    plenty = ProductFactory(stock=10)
    scarce = ProductFactory(name="Teapot", stock=1)
    ref = uuid.uuid4()

    response = reserve(internal_client, ref, (plenty.pk, 2), (scarce.pk, 2))

    assert response.status_code == HTTPStatus.CONFLICT
    assert response["Content-Type"] == CONTENT_TYPE
    assert response.json() == {
        "type": "/problems/out-of-stock",
        "title": "Out of stock",
        "status": HTTPStatus.CONFLICT,
        "detail": OUT_OF_STOCK.format(available=1, name="Teapot"),
        "product_id": scarce.pk,
    }
    assert (stock_of(plenty), stock_of(scarce)) == (10, 1)
    assert not Reservation.objects.filter(order_ref=ref).exists()


def test_an_order_ref_refused_once_may_reserve_later(internal_client, product):
    """A refusal records nothing, so the same reference can succeed after a restock."""
    ref = uuid.uuid4()
    refused = reserve(internal_client, ref, (product.pk, 11))
    product.stock = 20
    product.save()

    accepted = reserve(internal_client, ref, (product.pk, 11))

    assert refused.status_code == HTTPStatus.CONFLICT
    assert accepted.status_code == HTTPStatus.CREATED
    assert stock_of(product) == 9


def test_unknown_products_are_a_400_on_items(internal_client, product):
    """Ids with no product are named together, sorted, with the monolith's message."""
    response = reserve(internal_client, uuid.uuid4(), (product.pk, 1), (999_998, 1))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    body = response.json()
    assert body["type"] == "/problems/validation-error"
    assert body["errors"] == {"items": [UNKNOWN_PRODUCTS.format(ids="999998")]}
    assert stock_of(product) == 10


ONE_ITEM = [{"product_id": 1, "quantity": 1}]
REF = "0b6c3f9e-5d4a-4c1b-9a57-2f8e1d0c7b3a"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"order_ref": "not-a-uuid", "items": ONE_ITEM}, "order_ref"),
        ({"items": ONE_ITEM}, "order_ref"),
        ({"order_ref": REF, "items": []}, "items"),
        ({"order_ref": REF, "items": [{"product_id": 1}]}, "items.0.quantity"),
        (
            {"order_ref": REF, "items": [{"product_id": 1, "quantity": 0}]},
            "items.0.quantity",
        ),
    ],
    ids=["bad-ref", "no-ref", "no-items", "no-quantity", "zero-quantity"],
)
def test_an_invalid_body_is_a_400_naming_the_field(internal_client, body, field):
    """Validation problems, per field, as everywhere in the API."""
    response = internal_client.post(RESERVATIONS, body)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    # The field, or a part of it (items.non_field_errors for an empty list).
    assert [key for key in response.json()["errors"] if key.startswith(field)]


def test_a_release_puts_the_stock_back_once(internal_client, product):
    """204 every time; only the first release changes the stock."""
    ref = uuid.uuid4()
    reserve(internal_client, ref, (product.pk, 4))

    responses = [release(internal_client, ref) for _ in range(3)]

    assert [r.status_code for r in responses] == [HTTPStatus.NO_CONTENT] * 3
    assert stock_of(product) == 10
    assert Reservation.objects.get(order_ref=ref).released_at is not None


def test_releasing_an_unknown_reservation_is_a_204(internal_client, product):
    """Nothing was reserved, so there is nothing to give back, and that is fine."""
    response = release(internal_client, uuid.uuid4())

    assert response.status_code == HTTPStatus.NO_CONTENT
    assert stock_of(product) == 10


def test_a_reservation_that_comes_after_its_release_takes_nothing(
    internal_client, product
):
    """Orders timed out and released; its reserve call, queued, arrives later: 410."""
    ref = uuid.uuid4()
    assert release(internal_client, ref).status_code == HTTPStatus.NO_CONTENT

    late = reserve(internal_client, ref, (product.pk, 3))

    assert late.status_code == HTTPStatus.GONE
    assert late.headers["Content-Type"] == CONTENT_TYPE
    assert late.json()["type"].endswith("reservation-released")
    assert stock_of(product) == 10


def _forged(name: str) -> str:
    stack = testing_tokens.StackKeys(settings.KEYS_DIR)
    tokens = testing_tokens.forged_service_tokens(
        stack, caller="orders", audience="catalog"
    )
    return tokens[name]


BAD_TOKENS = {
    "forged": lambda: _forged("another key"),
    "expired": lambda: _forged("expired"),
    "other-audience": lambda: _forged("another audience"),
    "alg-none": lambda: _forged("alg none"),
    "hs256-with-the-public-key": lambda: _forged("hs256 with the caller's public key"),
    "garbage": lambda: "not-a-token",
    # A user's token, even staff's, is no service credential.
    "user-token": lambda: bearer(user_id=1, username="admin", is_staff=True),
}
CALLS = {
    "reserve": lambda client, product: reserve(client, uuid.uuid4(), (product.pk, 1)),
    "release": lambda client, product: release(client, uuid.uuid4()),
}


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
def test_without_a_service_token_it_is_a_401(api_client, product, call):
    """No X-Service-Token: a 401 problem that names the header to send."""
    response = call(api_client, product)

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["WWW-Authenticate"].startswith("X-Service-Token")
    assert stock_of(product) == 10


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
@pytest.mark.parametrize("make_token", BAD_TOKENS.values(), ids=BAD_TOKENS.keys())
def test_a_bad_service_token_is_a_403(api_client, product, call, make_token):
    """A token not signed with the service key, expired, or for users: 403."""
    api_client.credentials(HTTP_X_SERVICE_TOKEN=make_token())

    response = call(api_client, product)

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response["Content-Type"] == CONTENT_TYPE
    assert stock_of(product) == 10


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
@pytest.mark.parametrize("caller", ["payments", "storefront", "gateway"])
def test_only_orders_may_reserve_and_release(api_client, product, call, caller):
    """Another service's valid token is refused: the allow-list names orders only."""
    api_client.credentials(HTTP_X_SERVICE_TOKEN=service_token_from(caller))

    response = call(api_client, product)

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json()["detail"] == SERVICE_CALLER_REFUSED
    assert stock_of(product) == 10


def test_a_user_bearer_token_does_not_open_the_internal_api(staff_api_client, product):
    """Staff users have no way in either: the internal API knows no users."""
    response = reserve(staff_api_client, uuid.uuid4(), (product.pk, 1))

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert stock_of(product) == 10
