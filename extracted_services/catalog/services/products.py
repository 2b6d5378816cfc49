"""Staff writes to the catalog: create, change and delete products.

The monolith's, plus one line each: once the write commits, the cached reads are
dropped (``catalog_changed``), so nobody is shown the product as it was.
"""

from decimal import Decimal
from typing import Any

from django.db import transaction

from ..models import Category, Product, ReservationLine
from ..selectors import catalog_changed

PRODUCT_IN_USE = "{name} is in orders and cannot be deleted; set its stock to 0."
# The fields product_update may change (staff restocking sets ``stock`` here too).
UPDATABLE_FIELDS = frozenset(
    {"sku", "name", "description", "category", "price", "stock"}
)


class ProductInUse(Exception):
    def __init__(self, product: Product):
        self.product = product
        super().__init__(PRODUCT_IN_USE.format(name=product.name))


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
    transaction.on_commit(catalog_changed)
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
    transaction.on_commit(catalog_changed)
    return product


@transaction.atomic
def product_delete(*, product: Product) -> None:
    """Delete a product; raises ProductInUse when an order has reserved it."""
    # In the monolith a foreign key from the order lines protected the product. The
    # orders now live in another database; the reservations are what catalog knows.
    if ReservationLine.objects.filter(product_id=product.pk).exists():
        raise ProductInUse(product)
    product.delete()
    transaction.on_commit(catalog_changed)
