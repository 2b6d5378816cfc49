"""Catalog reads: product lists with filters, one product, the categories.

Nothing here is cached: stock changes with every order, and a page that shows
yesterday's stock costs more than the indexed query it would save.
"""

from django.db.models import QuerySet

from .models import Category, Product
from .search import product_search


def product_list(
    *,
    category: str | None = None,
    search: str | None = None,
    ids: list[int] | None = None,
) -> QuerySet[Product]:
    """Products by name, optionally narrowed by category slug, text, or ids.

    ``search`` keeps the products in which every word of it starts a word of the
    name or the description (search.py, through a full-text index). An unknown
    category slug simply matches nothing. ``ids=[]`` is an empty batch, so no
    products.
    """
    # select_related: every list shows the category, so fetch it in the same query.
    products = Product.objects.select_related("category")
    if category:
        products = products.filter(category__slug=category)
    if search:
        products = product_search(products, search)
    if ids is not None:
        products = products.filter(pk__in=ids)
    return products


def product_get(*, product_id: int) -> Product:
    """One product with its category; raises ``Product.DoesNotExist``."""
    return Product.objects.select_related("category").get(pk=product_id)


def category_list() -> QuerySet[Category]:
    """Every category, by name."""
    return Category.objects.all()
