"""Checkout and the order pages in services mode: the orders API, as the user."""

import re
import threading
from http import HTTPStatus

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.messages import get_messages
from django.urls import reverse

from extracted_services.chassis import http
from extracted_services.storefront.shop import TOKENS_SESSION_KEY
from monolith.cart.cart import SESSION_KEY as CART_SESSION_KEY
from monolith.orders.views import FORM_ALREADY_USED, ORDER_PLACED

from .conftest import order_json, page_json, token
from .gateway_stand_in import Answer, problem

pytestmark = pytest.mark.django_db

CHECKOUT = reverse("orders:checkout")
ORDERS = reverse("orders:order-list")
PAID = {"status": "approved", "card_last4": "4242", "failure_reason": ""}
DECLINED = {
    "status": "declined",
    "card_last4": "0002",
    "failure_reason": "card_declined",
}


@pytest.fixture
def checkout_form():
    return {
        "shipping_name": "Ada Lovelace",
        "shipping_address": "12 St James's Square",
        "card_number": "4242 4242 4242 4242",
        "idempotency_key": "form-1",
    }


@pytest.fixture
def cart(cart_with, catalog, signed_in_client):
    cart_with({2: 2})


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def hidden_value(html: str, field: str) -> str | None:
    """What a hidden field holds, as a browser (or the benchmark) reads it."""
    match = re.search(rf'name="{field}"[^>]*value="([^"]*)"', html)
    return match.group(1) if match else None


def test_checkout_places_the_order_as_the_user(
    signed_in_client, gateway, cart, checkout_form, tokens
):
    """One POST with the user's token and the form's key; then the order's page."""
    gateway.answer("POST", "/api/orders/", order_json(5), HTTPStatus.CREATED)

    response = signed_in_client.post(CHECKOUT, checkout_form)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/orders/5/"
    (call,) = gateway.calls_to("/api/orders/", "POST")
    assert call.body == {
        "items": [{"product_id": 2, "quantity": 2}],
        "card_number": "4242424242424242",
        "shipping": {"name": "Ada Lovelace", "address": "12 St James's Square"},
    }
    assert call.headers["authorization"] == f"Bearer {tokens['access']}"
    assert call.headers["idempotency-key"] == "form-1"
    assert messages_of(response) == [ORDER_PLACED.format(order_id=5)]
    assert signed_in_client.session[CART_SESSION_KEY] == {}


def test_a_pending_order_page_refreshes_until_the_payment_is_settled(
    signed_in_client, gateway
):
    """The order page shows the live status; pending, it reloads itself."""
    gateway.answer("GET", "/api/orders/5/", order_json(5))

    response = signed_in_client.get("/orders/5/")

    text = response.text
    assert 'data-testid="order-status">pending<' in text
    assert '<meta http-equiv="refresh" content="2">' in text
    assert text.count('data-testid="order-line"') == 1
    assert 'data-testid="order-total"><strong>€25.00<' in text
    assert "Placed 22 Nov 2026, 10:00" in text


def test_a_paid_order_page_shows_the_payment(signed_in_client, gateway):
    """Paid is final: the card's last four digits, and no more refreshing."""
    gateway.answer("GET", "/api/orders/5/", order_json(5, "paid", PAID))

    text = signed_in_client.get("/orders/5/").text

    assert 'data-testid="order-status">paid<' in text
    assert "Payment approved, card ending in 4242" in text
    assert 'http-equiv="refresh"' not in text


def test_a_failed_order_page_says_why(signed_in_client, gateway):
    """The failure reason in the monolith's words."""
    gateway.answer("GET", "/api/orders/5/", order_json(5, "failed", DECLINED))

    text = signed_in_client.get("/orders/5/").text

    assert 'data-testid="failure-reason">The card was declined<' in text


def test_someone_elses_order_is_a_404_page(signed_in_client, gateway):
    """The orders API's 404 (not yours, or none) is the site's 404 page."""
    response = signed_in_client.get("/orders/6/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "Page not found" in response.text


def test_the_order_list_shows_a_page_of_the_users_orders(signed_in_client, gateway):
    """Rows link to the orders, with item counts and statuses in words."""
    orders = [order_json(6, "paid", PAID), order_json(5, "failed", DECLINED)]
    gateway.answer("GET", "/api/orders/", page_json(orders, count=11))

    response = signed_in_client.get(ORDERS)

    text = response.text
    assert text.count('data-testid="order-row"') == 2
    assert '<a href="/orders/6/">#6</a>' in text
    assert ">Failed</span>" in text
    assert 'rel="next"' in text
    (call,) = gateway.calls
    assert call.query == {"page": "1", "page_size": "10"}


def test_out_of_stock_keeps_the_cart_and_says_so_above_the_form(
    signed_in_client, gateway, cart, checkout_form
):
    """The 409 problem's detail, as the monolith's OutOfStock message."""
    detail = "Only 1 of Teapot left in stock."
    gateway.on(
        "POST",
        "/api/orders/",
        lambda call: problem(
            HTTPStatus.CONFLICT, detail, type="/problems/out-of-stock", product_id=2
        ),
    )

    response = signed_in_client.post(CHECKOUT, checkout_form)

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].non_field_errors() == [detail]
    assert signed_in_client.session[CART_SESSION_KEY] == {"2": 2}


def test_an_unknown_product_is_shown_above_the_form(
    signed_in_client, gateway, cart, checkout_form
):
    """A validation problem's messages, as the monolith's ValidationError's."""
    message = "Unknown product ids: 2."
    gateway.on(
        "POST",
        "/api/orders/",
        lambda call: problem(
            HTTPStatus.BAD_REQUEST,
            "The request body has invalid fields.",
            type="/problems/validation-error",
            errors={"items": [message]},
        ),
    )

    response = signed_in_client.post(CHECKOUT, checkout_form)

    assert response.context["form"].non_field_errors() == [message]


def test_a_bad_card_is_refused_beside_its_field_before_any_call(
    signed_in_client, gateway, cart, checkout_form
):
    """The form checks the Luhn digit itself: the orders API is not called."""
    checkout_form["card_number"] = "4242 4242 4242 4241"

    response = signed_in_client.post(CHECKOUT, checkout_form)

    assert "card_number" in response.context["form"].errors
    assert not gateway.calls_to("/api/orders/", "POST")


def test_a_reused_form_key_asks_for_a_fresh_form(
    signed_in_client, gateway, cart, checkout_form
):
    """The 422 problem: the monolith's message, and a new checkout form."""
    gateway.on(
        "POST",
        "/api/orders/",
        lambda call: problem(HTTPStatus.UNPROCESSABLE_ENTITY, "Reused."),
    )

    response = signed_in_client.post(CHECKOUT, checkout_form)

    assert response["Location"] == CHECKOUT
    assert messages_of(response) == [FORM_ALREADY_USED]


def assert_the_form_again_as_a_503(response, checkout_form) -> None:
    """Nothing placed: a 503 with Retry-After, the reason, and the same form (what
    was typed, the same key), never a page without its form."""
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert int(response["Retry-After"]) > 0
    assert "orders is not answering" in response.context["form"].non_field_errors()[0]
    assert 'value="Ada Lovelace"' in response.text
    key = checkout_form["idempotency_key"]
    assert hidden_value(response.text, "idempotency_key") == key


def test_orders_down_shows_the_form_again_with_the_reason(
    signed_in_client, gateway, cart, checkout_form
):
    """A 503 at checkout keeps what was typed: the same key makes resending safe."""
    gateway.on(
        "POST",
        "/api/orders/",
        lambda call: problem(HTTPStatus.SERVICE_UNAVAILABLE, "catalog is down"),
    )

    response = signed_in_client.post(CHECKOUT, checkout_form)

    assert_the_form_again_as_a_503(response, checkout_form)
    assert signed_in_client.session[CART_SESSION_KEY] == {"2": 2}
    # With its key the order may be sent again: the client retried it.
    assert len(gateway.calls_to("/api/orders/", "POST")) == 3


def test_orders_that_time_out_show_the_form_again_as_a_503(
    signed_in_client, gateway, cart, checkout_form, settings
):
    """Orders answering too late is a 503 form with Retry-After, as a 503 is."""
    settings.HTTP_TIMEOUT = 0.2  # the storefront's wait for an answer
    http.clients_reset()  # clients made with this timeout
    released = threading.Event()

    def too_late(call):
        released.wait(timeout=10)  # answers only once the test is done
        return Answer(HTTPStatus.CREATED, order_json(5))

    gateway.on("POST", "/api/orders/", too_late)
    try:
        response = signed_in_client.post(CHECKOUT, checkout_form)
    finally:
        released.set()

    assert_the_form_again_as_a_503(response, checkout_form)
    assert signed_in_client.session[CART_SESSION_KEY] == {"2": 2}


def test_an_expired_access_token_is_renewed_once_and_kept(signed_in_client, gateway):
    """401, then a refresh, then the same call with the new token."""
    fresh = token("access", minutes=10)

    def orders(call):
        if call.headers["authorization"] == f"Bearer {fresh}":
            return Answer(body=page_json([]))
        return problem(HTTPStatus.UNAUTHORIZED, "Token is invalid or expired")

    gateway.on("GET", "/api/orders/", orders)
    gateway.answer("POST", "/api/auth/token/refresh/", {"access": fresh})

    response = signed_in_client.get(ORDERS)

    assert response.status_code == HTTPStatus.OK
    assert [call.path for call in gateway.calls] == [
        "/api/orders/",
        "/api/auth/token/refresh/",
        "/api/orders/",
    ]
    assert signed_in_client.session[TOKENS_SESSION_KEY]["access"] == fresh


def test_tokens_that_cannot_be_renewed_sign_the_user_out(signed_in_client, gateway):
    """The refresh token has expired too: sign in again, and come back here."""
    gateway.on(
        "GET",
        "/api/orders/",
        lambda call: problem(HTTPStatus.UNAUTHORIZED, "Token is invalid or expired"),
    )
    gateway.on(
        "POST",
        "/api/auth/token/refresh/",
        lambda call: problem(HTTPStatus.UNAUTHORIZED, "Token is invalid or expired"),
    )

    response = signed_in_client.get(ORDERS)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"{reverse('accounts:login')}?next={ORDERS}"
    assert SESSION_KEY not in signed_in_client.session
