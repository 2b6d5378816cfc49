"""Fixtures for the recommendations app: a model folder per test, orders to learn."""

import pytest

from monolith.orders.services import order_place
from monolith.payments.services import APPROVED_CARD
from tests.factories import ProductFactory


@pytest.fixture(autouse=True)
def model_dir(settings, tmp_path):
    """Each test trains and serves from a folder of its own, checked on every read."""
    settings.RECOMMENDATIONS_MODEL_DIR = tmp_path / "models"
    settings.RECOMMENDATIONS_RELOAD_INTERVAL = 0
    return settings.RECOMMENDATIONS_MODEL_DIR


@pytest.fixture
def products(db):
    """Products A, B, C, D with plenty of stock."""
    return [ProductFactory(stock=100) for _ in range(4)]


@pytest.fixture
def buy(user):
    """Place an order (paid with a good card, unless another is given)."""

    def buy(*products, card: str = APPROVED_CARD):
        return order_place(
            user=user,
            items=[(product.pk, 1) for product in products],
            card_number=card,
            shipping_name="Ada Lovelace",
            shipping_address="12 St James's Square, London",
        ).order

    return buy
