"""Fixtures for the catalog's tests: staff, and a product that has been ordered."""

import pytest
from rest_framework.test import APIClient

from monolith.orders.models import Order, OrderLine
from tests.factories import UserFactory


@pytest.fixture
def staff_user(db):
    return UserFactory(is_staff=True)


@pytest.fixture
def staff_api_client(staff_user):
    client = APIClient()
    client.force_authenticate(user=staff_user)
    return client


@pytest.fixture
def ordered_product(product, user):
    """A product that an order line refers to, so it cannot be deleted."""
    order = Order.objects.create(
        user=user,
        total=product.price,
        shipping_name="Ada Lovelace",
        shipping_address="1 Analytical Way",
    )
    OrderLine.objects.create(
        order=order,
        product=product,
        name=product.name,
        unit_price=product.price,
        quantity=1,
    )
    return product
