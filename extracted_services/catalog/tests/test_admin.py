"""The catalog's admin: categories and products to edit, reservations to look at."""

import uuid
from http import HTTPStatus

import pytest
from django.urls import reverse

from extracted_services.catalog.services import stock_reserve_for_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def reservation(product):
    reservation, _ = stock_reserve_for_order(
        order_ref=uuid.uuid4(), quantities={product.pk: 2}
    )
    return reservation


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:catalog_product_changelist",
        "admin:catalog_category_changelist",
        "admin:catalog_reservation_changelist",
    ],
)
def test_the_catalog_lists_open_in_the_admin(admin_client, reservation, url_name):
    """The change lists render, with search and filters."""
    response = admin_client.get(reverse(url_name), {"q": "a"})

    assert response.status_code == HTTPStatus.OK


def test_a_reservation_opens_read_only_with_its_lines(admin_client, reservation):
    """Staff may look at what an order took, never change it by hand."""
    url = reverse("admin:catalog_reservation_change", args=[reservation.pk])

    response = admin_client.get(url)

    assert response.status_code == HTTPStatus.OK
    assert reservation.lines.get().name in response.text
    assert 'name="_save"' not in response.text  # no Save button
    assert admin_client.post(url, {}).status_code == HTTPStatus.FORBIDDEN


def test_restocking_in_the_admin_shows_at_once(
    admin_client, api_client, product, django_capture_on_commit_callbacks
):
    """The admin saves rows itself; it drops the cached reads like the services do."""
    api_client.get(f"/api/products/{product.pk}/")
    url = reverse("admin:catalog_product_change", args=[product.pk])
    form = {
        "sku": product.sku,
        "name": product.name,
        "description": product.description,
        "category": product.category.pk,
        "price": "19.99",
        "stock": 99,
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, form)

    assert response.status_code == HTTPStatus.FOUND
    assert api_client.get(f"/api/products/{product.pk}/").json()["stock"] == 99
