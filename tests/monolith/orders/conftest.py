"""Fixtures for the orders tests: a stocked product, a cart, orders to read."""

import pytest
from rest_framework.test import APIClient

from monolith.cart.cart import Cart
from monolith.payments.services import APPROVED_CARD
from tests.factories import ProductFactory, UserFactory

from .factories import PaidOrderFactory


@pytest.fixture
def other_user(db):
    return UserFactory(username="mallory")


@pytest.fixture
def stocked_product(db):
    return ProductFactory(name="Teapot", price="12.50", stock=5)


@pytest.fixture
def place_kwargs(user, stocked_product):
    """What order_place needs for one line of 2 teapots, paid with a good card."""
    return {
        "user": user,
        "items": [(stocked_product.pk, 2)],
        "card_number": APPROVED_CARD,
        "shipping_name": "Ada Lovelace",
        "shipping_address": "12 St James's Square\nLondon",
    }


@pytest.fixture
def order_body(stocked_product):
    """A valid POST /api/orders/ body: 2 teapots, paid with a good card."""
    return {
        "items": [{"product_id": stocked_product.pk, "quantity": 2}],
        "card_number": APPROVED_CARD,
        "shipping": {"name": "Ada Lovelace", "address": "12 St James's Square"},
    }


@pytest.fixture
def paid_order(user):
    return PaidOrderFactory(user=user)


@pytest.fixture
def signed_in_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def cart_with(signed_in_client):
    """Put ``{product_id: quantity}`` in the signed-in client's session cart."""

    def fill(lines: dict[int, int]) -> None:
        session = signed_in_client.session  # a new SessionStore on each access
        cart = Cart(session)
        for product_id, quantity in lines.items():
            cart.add(product_id, quantity)
        session.save()

    return fill


@pytest.fixture
def other_api_client(other_user):
    client = APIClient()
    client.force_authenticate(user=other_user)
    return client
