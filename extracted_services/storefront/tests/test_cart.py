"""The cart in services mode: its products in one batch call, or one call each."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from monolith.cart.cart import SESSION_KEY
from monolith.cart.views import PRODUCTS_GONE, UNKNOWN_PRODUCT

pytestmark = pytest.mark.django_db

CART_URL = reverse("cart:detail")
ADD_URL = reverse("cart:add")


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_cart_reads_its_products_in_one_batch_call(
    client, gateway, catalog, cart_with
):
    """STOREFRONT_CART_BATCH (the default): one ?ids= call, whatever the lines."""
    cart_with({1: 2, 2: 1, 3: 1})

    response = client.get(CART_URL)

    (call,) = gateway.calls
    assert (call.path, call.query) == (
        "/api/products/",
        {"ids": "1,2,3", "page_size": "100"},
    )
    assert len(response.context["lines"]) == 3
    assert 'data-testid="line-total">€8.50' in response.text
    assert 'data-testid="cart-total"><strong>€51.00' in response.text


def test_the_cart_can_read_its_products_one_call_each(
    client, gateway, catalog, cart_with, settings
):
    """Batching off (to measure what it saves): one call per line, same page."""
    settings.STOREFRONT_CART_BATCH = False
    cart_with({1: 2, 2: 1, 3: 1})

    response = client.get(CART_URL)

    assert sorted(call.path for call in gateway.calls) == [
        "/api/products/1/",
        "/api/products/2/",
        "/api/products/3/",
    ]
    assert 'data-testid="cart-total"><strong>€51.00' in response.text


@pytest.mark.parametrize("batch", [True, False])
def test_products_gone_from_the_catalog_leave_the_cart(
    client, gateway, catalog, cart_with, settings, batch
):
    """An id the catalog no longer knows is dropped, with the monolith's message."""
    settings.STOREFRONT_CART_BATCH = batch
    gateway.answer("GET", "/api/products/", {"count": 1, "results": [catalog[0]]})
    cart_with({1: 1, 424242: 2})

    response = client.get(CART_URL)

    assert messages_of(response) == [PRODUCTS_GONE]
    assert client.session[SESSION_KEY] == {"1": 1}


def test_adding_to_the_cart_checks_the_product_with_the_catalog(
    client, gateway, catalog
):
    """The product's name and stock come from the API; the cart stays in session."""
    gateway.answer("GET", "/api/products/", {"count": 1, "results": [catalog[1]]})

    response = client.post(ADD_URL, {"product_id": 2, "quantity": 2}, follow=True)

    assert response.redirect_chain == [(CART_URL, HTTPStatus.FOUND)]
    assert messages_of(response) == ["Added Teapot to your cart (quantity 2)."]
    assert client.session[SESSION_KEY] == {"2": 2}
    assert gateway.calls[0].query["ids"] == "2"


def test_an_unknown_product_is_not_added(client, gateway, catalog):
    """Nothing comes back for the id: the monolith's message, nothing added."""
    gateway.answer("GET", "/api/products/", {"count": 0, "results": []})

    response = client.post(ADD_URL, {"product_id": 99, "quantity": 1}, follow=True)

    assert messages_of(response) == [UNKNOWN_PRODUCT]
    assert SESSION_KEY not in client.session
