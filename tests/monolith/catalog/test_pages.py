"""The catalog's pages: the product list (home) and a product's page."""

from http import HTTPStatus

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from monolith.catalog.views import PRODUCTS_PER_PAGE
from tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("catalog:product-list")


def test_the_home_page_lists_products_with_price_and_link(client, product):
    """Each product shows its name linked to its page and its price in euros."""
    response = client.get(LIST_URL)

    assert response.status_code == HTTPStatus.OK
    assert f'href="{product.get_absolute_url()}"' in response.text
    assert "€19.99" in response.text


def test_the_list_is_paginated_by_twelve(client):
    """Page one has 12 products and links to page two."""
    ProductFactory.create_batch(PRODUCTS_PER_PAGE + 1)

    response = client.get(LIST_URL)

    assert len(response.context["page_obj"]) == PRODUCTS_PER_PAGE
    assert 'href="?page=2"' in response.text


def test_page_links_keep_the_search_and_category(client):
    """Moving to page two keeps the filters."""
    tea = CategoryFactory(slug="tea")
    ProductFactory.create_batch(PRODUCTS_PER_PAGE + 1, name="Green tea", category=tea)

    response = client.get(LIST_URL, {"q": "green", "category": "tea", "page": 1})

    assert 'href="?q=green&amp;category=tea&amp;page=2"' in response.text


def test_a_category_shows_only_its_products(client):
    """``?category=<slug>`` filters the grid and titles the page."""
    books = CategoryFactory(slug="books", name="Books")
    novel = ProductFactory(name="A Novel", category=books)
    other = ProductFactory(name="A Mug")

    response = client.get(LIST_URL, {"category": "books"})

    assert list(response.context["page_obj"]) == [novel]
    assert other.name not in response.text
    assert "<h1>Books</h1>" in response.text


def test_the_search_box_finds_products_ignoring_case(client):
    """``?q=`` searches names and descriptions."""
    kettle = ProductFactory(name="Copper Kettle")
    ProductFactory(name="Steel Pan")

    response = client.get(LIST_URL, {"q": "kettle"})

    assert list(response.context["page_obj"]) == [kettle]
    assert 'value="kettle"' in response.text


def test_no_match_shows_an_empty_state(client, product):
    """A search without results says so and links back to every product."""
    response = client.get(LIST_URL, {"q": "unicorn"})

    assert "No products match “unicorn”" in response.text
    assert 'data-testid="empty-state"' in response.text


def test_a_search_that_is_too_long_shows_the_error_beside_the_box(client, product):
    """Invalid filters show the field's error and match nothing; still a 200."""
    response = client.get(LIST_URL, {"q": "x" * 101})

    assert response.status_code == HTTPStatus.OK
    assert 'class="errorlist"' in response.text
    assert not response.context["page_obj"].object_list


def test_the_list_page_takes_three_queries_however_many_products(
    client, django_assert_max_num_queries
):
    """A count, a page of products with their categories, the categories."""
    for category in CategoryFactory.create_batch(4):
        ProductFactory.create_batch(5, category=category)

    with django_assert_max_num_queries(3):
        response = client.get(LIST_URL)

    assert response.status_code == HTTPStatus.OK


def test_a_product_page_shows_the_product_and_an_add_to_cart_form(client, product):
    """Name, price, description and a form posting product and quantity to the cart."""
    response = client.get(product.get_absolute_url())

    assert response.status_code == HTTPStatus.OK
    text = response.text
    assert f"<h1>{product.name}</h1>" in text
    assert 'data-testid="price">€19.99' in text
    assert f'action="{reverse("cart:add")}"' in text
    assert f'name="product_id" value="{product.pk}"' in text
    assert 'name="quantity" value="1" min="1" max="99"' in text
    assert "<fieldset>" in text


def test_low_stock_says_how_many_are_left(client):
    """A product with few items left shows the number."""
    product = ProductFactory(stock=3)

    response = client.get(product.get_absolute_url())

    assert "Only 3 left" in response.text


def test_out_of_stock_disables_the_form(client):
    """With no stock the page says so and the form cannot be sent."""
    product = ProductFactory(stock=0)

    response = client.get(product.get_absolute_url())

    assert "Out of stock" in response.text
    assert "<fieldset disabled>" in response.text


def test_an_unknown_product_is_a_friendly_404_page(client):
    """/products/<unknown id>/ is the site's own 404 page."""
    response = client.get(reverse("catalog:product-detail", args=[424242]))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "Page not found" in response.text
    assert "<!doctype html>" in response.text


def test_the_500_page_renders_without_any_context():
    """Django renders 500.html with an empty context; it must not need one."""
    html = render_to_string("500.html")

    assert "Something went wrong" in html
