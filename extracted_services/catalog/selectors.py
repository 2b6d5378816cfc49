"""Catalog reads: product lists with filters, one product, the categories.

The queries are the monolith's. What is new is ``cached``: behind a gateway every
read costs a network hop more, so answers are kept in Redis. Rather than hunting down
every cached page that a write affects, each write replaces one version token that is
part of every key (``catalog_changed``): older entries are never read again, and
expire on their own after CATALOG_CACHE_SECONDS.
"""

import uuid
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, QuerySet

from .models import Category, Product

T = TypeVar("T")
VERSION_KEY = "catalog:version"
# Any lifetime is safe: a lost token only means a new one, and a cache miss.
VERSION_SECONDS = 24 * 60 * 60


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


def cached(key: str, compute: Callable[[], T]) -> T:
    """``compute()``, kept in Redis until the catalog next changes.

    ``compute`` should return plain data (a serializer's ``.data``), not a queryset.
    An exception in ``compute`` (a 404, say) is raised and nothing is kept.
    """
    if not settings.CATALOG_CACHE:
        return compute()
    version = cache.get_or_set(VERSION_KEY, _new_version, timeout=VERSION_SECONDS)
    versioned_key = f"catalog:{version}:{key}"
    value = cache.get(versioned_key)
    if value is None:
        value = compute()
        cache.set(versioned_key, value, timeout=settings.CATALOG_CACHE_SECONDS)
    return value


def catalog_changed() -> None:
    """Every cached read is stale from now on: call once a write has committed."""
    cache.set(VERSION_KEY, _new_version(), timeout=VERSION_SECONDS)


def _new_version() -> str:
    # Random, not a counter: a token lost from Redis can never come back and
    # revive entries cached under it.
    return uuid.uuid4().hex
