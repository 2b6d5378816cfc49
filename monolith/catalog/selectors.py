"""Catalog reads: product lists with filters, one product, the categories.

Nothing here is cached: stock changes with every order, and a page that shows
yesterday's stock costs more than the indexed query it would save.
"""

from django.db.models import Q, QuerySet

from .models import Category, Product


def product_list(
    *,
    category: str | None = None,
    search: str | None = None,
    ids: list[int] | None = None,
) -> QuerySet[Product]:
    """Products by name, optionally narrowed by category slug, text, or ids.

    ``search`` matches name or description, ignoring case. An unknown category
    slug simply matches nothing. ``ids=[]`` is an empty batch, so no products.
    """
    # select_related: every list shows the category, so fetch it in the same query.
    products = Product.objects.select_related("category")
    if category:
        products = products.filter(category__slug=category)
    if search:
        products = products.filter(
            Q(name__icontains=search) | Q(description__icontains=search)
        )
    if ids is not None:
        products = products.filter(pk__in=ids)
    return products


def product_get(*, product_id: int) -> Product:
    """One product with its category; raises ``Product.DoesNotExist``."""
    return Product.objects.select_related("category").get(pk=product_id)


def category_list() -> QuerySet[Category]:
    """Every category, by name."""
    return Category.objects.all()
