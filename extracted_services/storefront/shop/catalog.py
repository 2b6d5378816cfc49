"""The catalog's part of ``RemoteShop``: public reads from the catalog service.

Its answers are small dataclasses that templates read as they read the monolith's
models; what a product says about its own stock and URL is the models' own code
(``monolith.catalog.models.ProductMixin``), not a copy of it. The catalog's answers
for display may come from a few seconds ago (``display_cache.py``).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.core.paginator import Page

from monolith.catalog.models import CategoryMixin, ProductMixin
from monolith.shop import NotFound

from . import display_cache
from .base import (
    CATALOG,
    RemotePaginator,
    ShopBase,
    call,
    json_of,
    page_number,
    page_of,
    with_objects,
)

MAX_BATCH_IDS = 100  # the catalog API's limit for ?ids=
# The pages whose products by id may come from the display cache: pages that only
# show them. Not the checkout page: the total it shows is the one the customer
# agrees to pay, so it reads the catalog's prices now. The shop is asked by the
# monolith's views, which know nothing of a cache, so it goes by the page's URL name.
DISPLAY_PAGES = frozenset({"cart:detail"})


@dataclass(frozen=True)
class RemoteCategory(CategoryMixin):
    slug: str
    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class RemoteProduct(ProductMixin):
    id: int
    sku: str
    name: str
    description: str
    # Its name is the slug where a page did not load the categories (the cart).
    category: RemoteCategory
    price: Decimal
    stock: int

    def __str__(self) -> str:
        return self.name

    @property
    def pk(self) -> int:
        return self.id


class CatalogCalls(ShopBase):
    """Categories and products. Reads a page needs at once go out in parallel
    (``STOREFRONT_PARALLEL_CALLS``); the cart asks for its products in one batch
    (``STOREFRONT_CART_BATCH``); what only shows may be a few seconds old
    (``STOREFRONT_CACHE_SECONDS``)."""

    _categories: list[RemoteCategory] | None = None  # once per request

    def categories(self) -> list[RemoteCategory]:
        if self._categories is None:  # most pages need them twice
            body = display_cache.remembered(
                "categories", lambda: json_of(call(CATALOG, "GET", "/api/categories/"))
            )
            self._categories = [RemoteCategory(c["slug"], c["name"]) for c in body]
        return self._categories

    def product_page(
        self, *, search: str, category: str, number: Any, per_page: int
    ) -> Page[Any]:
        filters = {"search": search, "category": category, "page_size": per_page}
        filters = {name: value for name, value in filters.items() if value}
        fetch = partial(call, CATALOG, "GET", "/api/products/")

        def page() -> tuple[list[dict[str, Any]], int, int]:
            """The page's products (JSON), its number and the count of them all."""
            found = page_of(
                lambda n: fetch(params={**filters, "page": n}), number, per_page
            )
            return list(found.object_list), found.number, found.paginator.count

        def kept_page() -> tuple[list[dict[str, Any]], int, int]:
            # Searches are the customers' own words, rarely asked twice: only the
            # browsing pages (all products, or a category) are worth keeping.
            if search:
                return page()
            key = f"products:{category}:{per_page}:{page_number(number)}"
            return display_cache.remembered(key, page)

        # The products' category names need the categories: made once both are in.
        _, (results, found, count) = self._together(self.categories, kept_page)
        products = Page(results, found, RemotePaginator(count, per_page))
        return with_objects(products, self._product)

    def product(self, *, product_id: int) -> RemoteProduct:
        fetch = partial(call, CATALOG, "GET", f"/api/products/{product_id}/")
        _, response = self._together(self.categories, fetch)
        if response.status_code == HTTPStatus.NOT_FOUND:
            raise NotFound
        return self._product(json_of(response))

    def products(self, *, ids: Iterable[int]) -> dict[int, RemoteProduct]:
        """The products with these ids; unknown ids are simply left out."""
        wanted = sorted(set(ids))
        match = self.request.resolver_match
        if match is not None and match.view_name in DISPLAY_PAGES:
            found = display_cache.remembered_each("product", wanted, self._bodies)
        else:
            found = self._bodies(wanted)
        return {pk: self._product(body) for pk, body in found.items()}

    def _bodies(self, wanted: list[int]) -> dict[int, dict[str, Any]]:
        """The catalog's JSON for these products, by id: in batches, or one by one."""
        if settings.STOREFRONT_CART_BATCH:  # one call per 100 products
            chunks = [
                wanted[i : i + MAX_BATCH_IDS]
                for i in range(0, len(wanted), MAX_BATCH_IDS)
            ]
            pages = self._together(*(partial(self._batch, chunk) for chunk in chunks))
            found = [product for page in pages for product in page]
        else:  # one call per product: kept to measure what the batch saves
            answers = self._together(*(partial(self._one, pk) for pk in wanted))
            found = [product for product in answers if product is not None]
        return {body["id"]: body for body in found}

    def _batch(self, ids: list[int]) -> list[dict[str, Any]]:
        params = {"ids": ",".join(map(str, ids)), "page_size": MAX_BATCH_IDS}
        response = call(CATALOG, "GET", "/api/products/", params=params)
        return json_of(response)["results"]

    def _one(self, product_id: int) -> dict[str, Any] | None:
        response = call(CATALOG, "GET", f"/api/products/{product_id}/")
        if response.status_code == HTTPStatus.NOT_FOUND:
            return None
        return json_of(response)

    def _product(self, body: dict[str, Any]) -> RemoteProduct:
        slug = body["category"]
        names = {c.slug: c.name for c in self._categories or ()}
        return RemoteProduct(
            id=body["id"],
            sku=body["sku"],
            name=body["name"],
            description=body["description"],
            category=RemoteCategory(slug, names.get(slug, slug)),
            price=Decimal(body["price"]),
            stock=body["stock"],
        )
