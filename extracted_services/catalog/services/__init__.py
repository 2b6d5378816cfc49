"""Catalog writes: products (``products.py``), and stock held for orders (``stock.py``).

Callers import from here: ``from extracted_services.catalog.services import ...``.
"""

from .products import (
    PRODUCT_IN_USE,
    UPDATABLE_FIELDS,
    ProductInUse,
    product_create,
    product_delete,
    product_update,
)
from .stock import (
    OUT_OF_STOCK,
    RESERVATION_RELEASED,
    UNKNOWN_PRODUCTS,
    OutOfStock,
    ReservationReleased,
    UnknownProducts,
    stock_release_for_order,
    stock_reserve_for_order,
)

__all__ = [
    "OUT_OF_STOCK",
    "PRODUCT_IN_USE",
    "RESERVATION_RELEASED",
    "UNKNOWN_PRODUCTS",
    "UPDATABLE_FIELDS",
    "OutOfStock",
    "ProductInUse",
    "ReservationReleased",
    "UnknownProducts",
    "product_create",
    "product_delete",
    "product_update",
    "stock_release_for_order",
    "stock_reserve_for_order",
]
