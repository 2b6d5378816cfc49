"""Catalog writes through the services: products, and stock held for orders."""

import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from extracted_services.catalog.models import Product, Reservation
from extracted_services.catalog.services import (
    OutOfStock,
    ProductInUse,
    UnknownProducts,
    product_create,
    product_delete,
    product_update,
    stock_release_for_order,
    stock_reserve_for_order,
)

from .factories import CategoryFactory, ProductFactory

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


def test_product_update_refuses_unknown_fields(product):
    """Only catalog fields may change; a typo is a TypeError, not a silent no-op."""
    with pytest.raises(TypeError):
        product_update(product=product, prise=Decimal("1.00"))


def test_product_delete_deletes(product):
    """A product never ordered can be deleted."""
    product_delete(product=product)

    assert not Product.objects.filter(pk=product.pk).exists()


def test_a_reserved_product_cannot_be_deleted(ordered_product):
    """A reservation line protects its product: ProductInUse, and the row stays."""
    with pytest.raises(ProductInUse):
        product_delete(product=ordered_product)

    assert Product.objects.filter(pk=ordered_product.pk).exists()


def test_a_released_reservation_still_protects_its_product(product):
    """A failed order keeps its lines, as in the monolith: the product stays."""
    ref = uuid.uuid4()
    stock_reserve_for_order(order_ref=ref, quantities={product.pk: 1})
    stock_release_for_order(order_ref=ref)

    with pytest.raises(ProductInUse):
        product_delete(product=product)


def test_stock_reserve_takes_all_or_nothing():
    """One line short of stock and no line is decremented, no reservation kept."""
    plenty, scarce = ProductFactory(stock=10), ProductFactory(stock=1)
    ref = uuid.uuid4()

    with pytest.raises(OutOfStock) as caught:
        stock_reserve_for_order(order_ref=ref, quantities={plenty.pk: 2, scarce.pk: 2})

    assert caught.value.product == scarce
    plenty.refresh_from_db()
    assert plenty.stock == 10
    assert not Reservation.objects.filter(order_ref=ref).exists()


def test_stock_reserve_names_unknown_products(product):
    """Ids with no product are reported together, sorted."""
    with pytest.raises(UnknownProducts) as caught:
        stock_reserve_for_order(
            order_ref=uuid.uuid4(),
            quantities={product.pk: 1, 999_998: 1, 999_997: 1},
        )

    assert caught.value.product_ids == [999_997, 999_998]


def test_stock_reserve_is_idempotent_per_order_ref(product):
    """The second call returns the first reservation, not created, and takes nothing."""
    ref = uuid.uuid4()

    first, first_created = stock_reserve_for_order(
        order_ref=ref, quantities={product.pk: 4}
    )
    again, again_created = stock_reserve_for_order(
        order_ref=ref, quantities={product.pk: 4}
    )

    assert (first_created, again_created) == (True, False)
    assert again == first
    product.refresh_from_db()
    assert product.stock == 6


def test_stock_release_gives_back_once(product):
    """True the first time, False after; the stock is back exactly once."""
    ref = uuid.uuid4()
    stock_reserve_for_order(order_ref=ref, quantities={product.pk: 4})

    results = [stock_release_for_order(order_ref=ref) for _ in range(2)]

    assert results == [True, False]
    product.refresh_from_db()
    assert product.stock == 10


def test_stock_release_of_an_unknown_order_does_nothing(product):
    """No reservation, nothing to give back: False, and the stock is unchanged."""
    assert stock_release_for_order(order_ref=uuid.uuid4()) is False
    product.refresh_from_db()
    assert product.stock == 10
