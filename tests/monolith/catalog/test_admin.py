"""The admin's catalog pages open for a superuser (pytest-django's admin_client)."""

from http import HTTPStatus

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url_name",
    ["admin:catalog_product_changelist", "admin:catalog_category_changelist"],
)
def test_the_catalog_lists_open_in_the_admin(admin_client, product, url_name):
    """The change lists render, with search and filters."""
    response = admin_client.get(reverse(url_name), {"q": product.name})

    assert response.status_code == HTTPStatus.OK


def test_a_product_opens_in_the_admin(admin_client, product):
    """A product's change form renders."""
    url = reverse("admin:catalog_product_change", args=[product.pk])

    assert admin_client.get(url).status_code == HTTPStatus.OK
