"""Fixtures for the payments tests: an order waiting to be charged."""

from decimal import Decimal

import pytest

from tests.monolith.orders.factories import OrderFactory


@pytest.fixture
def order(db):
    return OrderFactory(total=Decimal("25.00"))
