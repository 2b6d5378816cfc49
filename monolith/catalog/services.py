"""Catalog writes: products, and reserving and releasing stock for orders."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, ProtectedError

from .models import Category, Product

OUT_OF_STOCK = "Only {available} of {name} left in stock."
UNKNOWN_PRODUCTS = "Unknown product ids: {ids}."
PRODUCT_IN_USE = "{name} is in orders and cannot be deleted; set its stock to 0."

# The fields product_update may change (staff restocking sets ``stock`` here too).
UPDATABLE_FIELDS = frozenset(
    {"sku", "name", "description", "category", "price", "stock"}
)


class UnknownProducts(Exception):
    def __init__(self, product_ids: list[int]):
        self.product_ids = sorted(product_ids)
        super().__init__(
            UNKNOWN_PRODUCTS.format(ids=", ".join(map(str, self.product_ids)))
        )


class ProductInUse(Exception):
    def __init__(self, product: Product):
        self.product = product
        super().__init__(PRODUCT_IN_USE.format(name=product.name))


class OutOfStock(Exception):
    def __init__(self, product: Product, requested: int):
        self.product = product
        self.requested = requested
        super().__init__(
            OUT_OF_STOCK.format(available=product.stock, name=product.name)
        )


@transaction.atomic
def stock_reserve(*, quantities: Mapping[int, int]) -> dict[int, Product]:
    """Take ``{product_id: quantity}`` out of stock, all or nothing.

    Rows are locked in id order (so two orders never deadlock on PostgreSQL); on
    SQLite the whole transaction already holds the write lock (IMMEDIATE mode).
    Returns the products as they were before the decrement, keyed by id.
    """
    products = {
        p.pk: p
        for p in Product.objects.select_for_update()
        .filter(pk__in=quantities)
        .order_by("pk")
    }
    missing = set(quantities) - set(products)
    if missing:
        raise UnknownProducts(list(missing))
    for product_id, quantity in sorted(quantities.items()):
        if products[product_id].stock < quantity:
            raise OutOfStock(products[product_id], quantity)
    for product_id, quantity in quantities.items():
        Product.objects.filter(pk=product_id).update(stock=F("stock") - quantity)
    return products


@transaction.atomic
def stock_release(*, quantities: Mapping[int, int]) -> None:
    """Put ``{product_id: quantity}`` back in stock (a failed payment, say)."""
    for product_id, quantity in sorted(quantities.items()):
        Product.objects.filter(pk=product_id).update(stock=F("stock") + quantity)


@transaction.atomic
def product_create(
    *,
    sku: str,
    name: str,
    category: Category,
    price: Decimal,
    stock: int = 0,
    description: str = "",
) -> Product:
    """Add a product; raises ValidationError (e.g. a taken SKU) and saves nothing."""
    product = Product(
        sku=sku,
        name=name,
        description=description,
        category=category,
        price=price,
        stock=stock,
    )
    # full_clean: the model's own rules (unique SKU, two decimal places) hold for
    # every caller, not only for the API's serializer.
    product.full_clean()
    product.save()
    return product


@transaction.atomic
def product_update(*, product: Product, **fields: Any) -> Product:
    """Change some of a product's fields, e.g. ``product_update(product=p, stock=0)``.

    Raises ValidationError (and saves nothing) when the result breaks a rule.
    """
    unknown = set(fields) - UPDATABLE_FIELDS
    if unknown:
        raise TypeError(f"product_update() cannot change {sorted(unknown)}")
    for field, value in fields.items():
        setattr(product, field, value)
    product.full_clean()
    product.save()
    return product


@transaction.atomic
def product_delete(*, product: Product) -> None:
    """Delete a product; raises ProductInUse when an order line refers to it."""
    try:
        product.delete()
    except ProtectedError as exc:
        raise ProductInUse(product) from exc
