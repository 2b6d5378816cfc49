"""Catalog reads: product lists with filters, one product, the categories.

The queries are the monolith's. What is new is ``cached``: behind a gateway every
read costs a network hop more, so answers are kept in Redis. Rather than hunting down
every cached page that a write affects, each write replaces one version token that is
part of every key (``catalog_changed``): older entries are never read again, and
expire on their own after CATALOG_CACHE_SECONDS.
"""

import logging
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from redis.exceptions import RedisError

from .models import Category, Product
from .search import product_search

logger = logging.getLogger(__name__)
T = TypeVar("T")
VERSION_KEY = "catalog:version"
# Any lifetime is safe: a lost token only means a new one, and a cache miss.
VERSION_SECONDS = 24 * 60 * 60
# Redis is a cache here, not the truth: while it is away, reads go to the database.
CACHE_DOWN = (ConnectionError, TimeoutError, RedisError)


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


def cached(key: str, compute: Callable[[], T]) -> T:
    """``compute()``, kept in Redis until the catalog next changes.

    ``compute`` should return plain data (a serializer's ``.data``), not a queryset.
    An exception in ``compute`` (a 404, say) is raised and nothing is kept.
    """
    if not settings.CATALOG_CACHE:
        return compute()
    try:
        version = cache.get_or_set(VERSION_KEY, _new_version, timeout=VERSION_SECONDS)
        versioned_key = f"catalog:{version}:{key}"
        value = cache.get(versioned_key)
    except CACHE_DOWN as error:  # degraded, not down: answer from the database
        logger.warning(
            "cache unreachable, reading %s from the database: %s", key, error
        )
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(versioned_key, value, timeout=settings.CATALOG_CACHE_SECONDS)
        except CACHE_DOWN as error:
            logger.warning("cache unreachable, %s not kept: %s", key, error)
    return value


def catalog_changed() -> None:
    """Every cached read is stale from now on: call once a write has committed.

    The write has committed, so a cache that is away must not turn it into a 500
    (the caller would think it failed). If Redis comes back with its data, entries
    cached before the write may be read until CATALOG_CACHE_SECONDS have passed.
    """
    try:
        cache.set(VERSION_KEY, _new_version(), timeout=VERSION_SECONDS)
    except CACHE_DOWN as error:
        logger.warning("cache unreachable, cached reads may be stale: %s", error)


def _new_version() -> str:
    # Random, not a counter: a token lost from Redis can never come back and
    # revive entries cached under it.
    return uuid.uuid4().hex
