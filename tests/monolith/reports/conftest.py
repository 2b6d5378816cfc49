"""Fixtures for the reports tests: paid and failed orders on known days."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from monolith.orders.models import Order
from tests.factories import CategoryFactory, ProductFactory, UserFactory
from tests.monolith.orders.factories import OrderFactory, OrderLineFactory

NOVEMBER = {"from": "2026-11-01", "to": "2026-11-30"}


def order_on(day: datetime, lines, *, status=Order.Status.PAID) -> Order:
    """An order created at ``day`` with (product, quantity) lines."""
    order = OrderFactory(status=status)
    for product, quantity in lines:
        OrderLineFactory(order=order, product=product, quantity=quantity)
    # auto_now_add ignores a value given at creation: set it afterwards.
    Order.objects.filter(pk=order.pk).update(created_at=day)
    return order


@pytest.fixture
def sales(db):
    """Three paid orders over two UTC days and two categories, one failed order."""
    books = CategoryFactory(slug="books")
    toys = CategoryFactory(slug="toys")
    novel = ProductFactory(category=books, price=Decimal("19.99"))
    kite = ProductFactory(category=toys, price=Decimal("2.50"))
    day1 = datetime(2026, 11, 22, 10, tzinfo=UTC)
    day2 = datetime(2026, 11, 23, 8, tzinfo=UTC)
    order_on(day1, [(novel, 2)])
    order_on(day2, [(novel, 1), (kite, 4)])
    order_on(day2, [(kite, 1)])
    order_on(day1, [(novel, 5)], status=Order.Status.FAILED)
    return {"novel": novel, "kite": kite}


@pytest.fixture
def staff_user(db):
    return UserFactory(is_staff=True)


@pytest.fixture
def staff_api(staff_user):
    client = APIClient()
    client.force_authenticate(user=staff_user)
    return client
