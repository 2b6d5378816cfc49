"""The cart's pages: show, add, update, remove; products loaded in one query."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monolith.cart.cart import SESSION_KEY
from monolith.cart.views import (
    BAD_QUANTITY,
    BAD_UPDATE,
    OUT_OF_STOCK,
    PRODUCTS_GONE,
    UNKNOWN_PRODUCT,
)
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

CART_URL = reverse("cart:detail")
ADD_URL = reverse("cart:add")


def put_in_cart(client, lines: dict[int, int]) -> None:
    session = client.session
    session[SESSION_KEY] = {str(pid): qty for pid, qty in lines.items()}
    session.save()


def cart_in(client) -> dict[str, int]:
    return client.session.get(SESSION_KEY, {})


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_an_empty_cart_links_back_to_the_products(client):
    """With nothing in it the cart says so and offers the product list."""
    response = client.get(CART_URL)

    assert response.status_code == HTTPStatus.OK
    assert "Your cart is empty." in response.text
    assert f'href="{reverse("catalog:product-list")}"' in response.text


def test_adding_a_product_redirects_to_the_cart_with_a_message(client, product):
    """POST /cart/add/ puts the quantity in the session and says what was added."""
    response = client.post(
        ADD_URL, {"product_id": product.pk, "quantity": 2}, follow=True
    )

    assert response.redirect_chain == [(CART_URL, HTTPStatus.FOUND)]
    assert cart_in(client) == {str(product.pk): 2}
    assert messages_of(response) == [f"Added {product.name} to your cart (quantity 2)."]


@pytest.mark.parametrize("quantity", ["0", "100", "two", ""])
def test_a_bad_quantity_is_refused_with_a_message(client, product, quantity):
    """Quantities are 1..99; otherwise back to the product with the reason."""
    response = client.post(
        ADD_URL, {"product_id": product.pk, "quantity": quantity}, follow=True
    )

    assert response.redirect_chain[-1][0] == product.get_absolute_url()
    assert messages_of(response) == [BAD_QUANTITY]
    assert cart_in(client) == {}


def test_an_unknown_product_is_not_added(client):
    """A product id with no product: a message, and back to the list."""
    response = client.post(ADD_URL, {"product_id": 424242, "quantity": 1}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("catalog:product-list")
    assert messages_of(response) == [UNKNOWN_PRODUCT]
    assert cart_in(client) == {}


def test_an_out_of_stock_product_is_not_added(client):
    """Even if the disabled form is sent anyway, nothing goes in."""
    product = ProductFactory(stock=0)

    response = client.post(
        ADD_URL, {"product_id": product.pk, "quantity": 1}, follow=True
    )

    assert messages_of(response) == [OUT_OF_STOCK.format(name=product.name)]
    assert cart_in(client) == {}


def test_adding_needs_a_post(client):
    """GET /cart/add/ changes nothing: 405."""
    assert client.get(ADD_URL).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_the_cart_shows_lines_totals_and_checkout(client):
    """Each line: linked name, unit price, quantity form, line total; then the total."""
    mug = ProductFactory(name="Mug")
    pen = ProductFactory(name="Pen", price="5.00")
    put_in_cart(client, {mug.pk: 2, pen.pk: 1})

    response = client.get(CART_URL)

    text = response.text
    assert f'<a href="{mug.get_absolute_url()}">Mug</a>' in text
    assert 'data-testid="line-total">€39.98' in text
    assert 'data-testid="cart-total"><strong>€44.98' in text
    assert f'action="{reverse("cart:update", args=[mug.pk])}"' in text
    assert f'action="{reverse("cart:remove", args=[pen.pk])}"' in text
    assert f'href="{reverse("orders:checkout")}"' in text


def test_the_header_badge_counts_the_items(client, product):
    """Every page's header shows how many items the cart holds."""
    put_in_cart(client, {product.pk: 3})

    response = client.get(reverse("catalog:product-list"))

    assert response.context["cart_count"] == 3
    assert 'data-testid="cart-count">3<' in response.text


def test_updating_a_line_sets_its_quantity(client, product):
    """POST /cart/update/<id>/ replaces the quantity."""
    put_in_cart(client, {product.pk: 2})

    client.post(reverse("cart:update", args=[product.pk]), {"quantity": 5})

    assert cart_in(client) == {str(product.pk): 5}


def test_updating_to_zero_removes_the_line(client, product):
    """Quantity 0 takes the product out."""
    put_in_cart(client, {product.pk: 2})

    client.post(reverse("cart:update", args=[product.pk]), {"quantity": 0})

    assert cart_in(client) == {}


def test_a_bad_update_keeps_the_line_and_says_why(client, product):
    """Quantities outside 0..99 change nothing."""
    put_in_cart(client, {product.pk: 2})

    response = client.post(
        reverse("cart:update", args=[product.pk]), {"quantity": 100}, follow=True
    )

    assert messages_of(response) == [BAD_UPDATE]
    assert cart_in(client) == {str(product.pk): 2}


def test_updating_a_product_not_in_the_cart_adds_nothing(client, product):
    """A stale form for a removed line does not bring it back."""
    client.post(reverse("cart:update", args=[product.pk]), {"quantity": 3})

    assert cart_in(client) == {}


def test_removing_a_line(client, product):
    """POST /cart/remove/<id>/ takes the product out."""
    other = ProductFactory()
    put_in_cart(client, {product.pk: 2, other.pk: 1})

    response = client.post(reverse("cart:remove", args=[product.pk]))

    assert response.status_code == HTTPStatus.FOUND
    assert cart_in(client) == {str(other.pk): 1}


def test_products_that_disappeared_are_dropped_with_a_message(client, product):
    """A product deleted since it was added leaves the cart, and the page says so."""
    put_in_cart(client, {product.pk: 1, 424242: 2})

    response = client.get(CART_URL)

    assert messages_of(response) == [PRODUCTS_GONE]
    assert cart_in(client) == {str(product.pk): 1}


def test_the_cart_loads_all_its_products_in_one_query(client):
    """Ten lines cost the same number of queries as one: a batch, not a loop."""
    one, *others = ProductFactory.create_batch(10)
    put_in_cart(client, {one.pk: 1})
    with CaptureQueriesContext(connection) as single:
        client.get(CART_URL)

    put_in_cart(client, {p.pk: 1 for p in [one, *others]})
    with CaptureQueriesContext(connection) as ten:
        response = client.get(CART_URL)

    assert len(response.context["lines"]) == 10
    assert len(ten) == len(single)
    product_queries = [q for q in ten if "catalog_product" in q["sql"]]
    assert len(product_queries) == 1
