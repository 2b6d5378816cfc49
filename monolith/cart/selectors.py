"""Reads for the cart and checkout pages: the cart's lines with their products."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from monolith.shop import LocalShop, Shop


@dataclass(frozen=True)
class CartLine:
    product: Any  # a catalog Product, or the services stack's RemoteProduct
    quantity: int

    @property
    def line_total(self) -> Decimal:
        return self.product.price * self.quantity

    @property
    def exceeds_stock(self) -> bool:
        return self.quantity > self.product.stock


def cart_lines(
    *, lines: dict[int, int], shop: Shop | None = None
) -> tuple[list[CartLine], list[int]]:
    """The lines with their products, and the ids of products that are gone.

    One read for the whole cart (a batch by ids), not one per line. ``shop`` is
    where the products come from: the request's (``shop_for``), or this process's.
    """
    products = (shop or LocalShop()).products(ids=lines)
    found = [
        CartLine(products[product_id], quantity)
        for product_id, quantity in lines.items()
        if product_id in products
    ]
    missing = [product_id for product_id in lines if product_id not in products]
    return found, missing


def cart_total(lines: list[CartLine]) -> Decimal:
    return sum((line.line_total for line in lines), Decimal("0.00"))
