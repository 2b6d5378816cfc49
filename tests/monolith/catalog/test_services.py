"""Catalog writes: products created, changed and deleted through the services."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from monolith.catalog.models import Product
from monolith.catalog.services import (
    OutOfStock,
    ProductInUse,
    UnknownProducts,
    product_create,
    product_delete,
    product_update,
    stock_release,
    stock_reserve,
)
from tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


def _create(**overrides) -> Product:
    fields = {
        "sku": "MUG-001",
        "name": "Mug",
        "category": CategoryFactory(),
        "price": Decimal("9.50"),
    }
    return product_create(**{**fields, **overrides})


def test_product_create_saves_the_product_with_defaults():
    """Stock defaults to 0 and the description to empty."""
    product = _create()

    product.refresh_from_db()
    assert (product.sku, product.stock, product.description) == ("MUG-001", 0, "")


def test_product_create_refuses_a_taken_sku(product):
    """A second product with the same SKU is a ValidationError on ``sku``."""
    with pytest.raises(ValidationError) as caught:
        _create(sku=product.sku)

    assert "sku" in caught.value.message_dict
    assert Product.objects.count() == 1


@pytest.mark.parametrize("price", [Decimal("-0.01"), Decimal("1.999")])
def test_product_create_refuses_a_negative_or_over_precise_price(price):
    """Prices are zero or more, with at most two decimal places."""
    with pytest.raises(ValidationError):
        _create(price=price)

    assert not Product.objects.exists()


def test_product_update_changes_only_the_given_fields(product):
    """Fields not passed keep their values."""
    product_update(product=product, price=Decimal("1.00"), stock=3)

    product.refresh_from_db()
    assert (product.price, product.stock) == (Decimal("1.00"), 3)
    assert product.name.startswith("Product")


def test_product_update_refuses_another_products_sku(product):
    """Taking another product's SKU fails and saves nothing."""
    other = ProductFactory()

    with pytest.raises(ValidationError):
        product_update(product=product, sku=other.sku, name="Renamed")

    product.refresh_from_db()
    assert product.name != "Renamed"


def test_product_update_keeps_its_own_sku(product):
    """Sending a product's own SKU back is no conflict."""
    product_update(product=product, sku=product.sku, name="Renamed")

    product.refresh_from_db()
    assert product.name == "Renamed"


def test_product_update_refuses_unknown_fields(product):
    """Only catalog fields may change; a typo is a TypeError, not a silent no-op."""
    with pytest.raises(TypeError):
        product_update(product=product, prise=Decimal("1.00"))


def test_product_delete_deletes(product):
    """A product never ordered can be deleted."""
    product_delete(product=product)

    assert not Product.objects.filter(pk=product.pk).exists()


def test_an_ordered_product_cannot_be_deleted(ordered_product):
    """An order line protects its product: ProductInUse, and the row stays."""
    with pytest.raises(ProductInUse):
        product_delete(product=ordered_product)

    assert Product.objects.filter(pk=ordered_product.pk).exists()


def test_stock_reserve_takes_all_or_nothing():
    """One line short of stock and no line is decremented."""
    plenty, scarce = ProductFactory(stock=10), ProductFactory(stock=1)

    with pytest.raises(OutOfStock) as caught:
        stock_reserve(quantities={plenty.pk: 2, scarce.pk: 2})

    assert caught.value.product == scarce
    plenty.refresh_from_db()
    assert plenty.stock == 10


def test_stock_reserve_and_release_move_stock(product):
    """Reserving decrements; releasing puts the same quantity back."""
    stock_reserve(quantities={product.pk: 4})
    product.refresh_from_db()
    assert product.stock == 6

    stock_release(quantities={product.pk: 4})
    product.refresh_from_db()
    assert product.stock == 10


def test_stock_reserve_names_unknown_products(product):
    """Ids with no product are reported together, sorted."""
    with pytest.raises(UnknownProducts) as caught:
        stock_reserve(quantities={product.pk: 1, 999_998: 1, 999_997: 1})

    assert caught.value.product_ids == [999_997, 999_998]
