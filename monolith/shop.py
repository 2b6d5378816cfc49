"""What the shop's pages need, and where it comes from: the seam of the strangler fig.

The pages (the catalog, cart, orders and accounts views) ask ``shop_for(request)``
for products, orders and users, and never care where they live. ``settings.
SHOP_BACKEND`` names the class that answers, as a dotted path, the way Django picks
``SESSION_ENGINE``:

- ``"monolith.shop.LocalShop"`` (below): the monolith's own selectors and services,
  in this process and this database, as served on :8000;
- the storefront's ``shop.RemoteShop``: the services' public APIs over HTTP, as the
  storefront serves them behind :8100. It lives with the storefront, whose settings
  name it: the monolith knows nothing of the services (tests/test_boundaries.py).

Read the two side by side: the function call became a request with a timeout, the
exception became a status code, the database row became a small dataclass.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any, Protocol

from django.conf import settings
from django.contrib.auth import authenticate, login
from django.contrib.auth.models import User  # the shop uses Django's own User model
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils.module_loading import import_string

from monolith.accounts.services import user_create
from monolith.catalog import selectors as catalog
from monolith.catalog.models import Category, Product
from monolith.catalog.services import OutOfStock, UnknownProducts
from monolith.core.problems import ServiceUnavailable
from monolith.orders import selectors as orders
from monolith.orders import services as order_services
from monolith.orders.models import Order
from monolith.recommendations.selectors import recommendation_list

BAD_BACKEND = (
    "SHOP_BACKEND must be the dotted path of a shop class, such as "
    "'monolith.shop.LocalShop'; {path!r} does not import: {error}"
)
NO_REQUEST = "A shop made without a request can only read the catalog: use shop_for()."
_SHOP_ATTRIBUTE = "_shop"  # where a request keeps its shop, once made

# ------------------------------------------------------------------------------------
# What can go wrong, in the pages' words (the views catch these, and only these).
# ------------------------------------------------------------------------------------


class NotFound(Exception):
    """No such product, or no such order among the user's."""


class Refused(Exception):
    """The shop said no, with reasons: ``{field or None: [message, ...]}``.

    Out of stock, an unknown product, a taken username, too many sign-in attempts.
    """

    def __init__(self, errors: dict[str | None, list[str]]):
        self.errors = errors
        super().__init__(" ".join(self.messages))

    @property
    def messages(self) -> list[str]:
        return [message for messages in self.errors.values() for message in messages]


class IdempotencyKeyReused(Exception):
    """The checkout form's key was already used for a different order."""


class SignInRequired(Exception):
    """The user's tokens have expired and cannot be renewed (remote only)."""


# A part of the shop did not answer in time (remote only): the API's 503 problem,
# with the part's name (``.service``), a message (``.detail``) and Retry-After.
Unavailable = ServiceUnavailable


# ------------------------------------------------------------------------------------
# What the pages read: the monolith's models, or the storefront's look-alikes.
# Read-only properties, so that a model field and a dataclass field both fit.
# ------------------------------------------------------------------------------------


class ShopCategory(Protocol):
    @property
    def slug(self) -> str: ...
    @property
    def name(self) -> str: ...
    def get_absolute_url(self) -> str: ...


class ShopProduct(Protocol):
    @property
    def pk(self) -> Any: ...  # an int: Any, as Django's own Model.pk
    @property
    def sku(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def category(self) -> ShopCategory: ...
    @property
    def price(self) -> Decimal: ...
    @property
    def stock(self) -> int: ...
    @property
    def in_stock(self) -> bool: ...
    @property
    def low_stock(self) -> bool: ...
    def get_absolute_url(self) -> str: ...


class ShopPayment(Protocol):
    @property
    def status(self) -> str: ...
    @property
    def card_last4(self) -> str: ...
    @property
    def failure_reason(self) -> str: ...
    def get_status_display(self) -> str: ...
    def get_failure_reason_display(self) -> str: ...


class ShopOrder(Protocol):
    @property
    def pk(self) -> Any: ...
    @property
    def status(self) -> str: ...
    @property
    def total(self) -> Decimal: ...
    @property
    def currency(self) -> str: ...
    @property
    def shipping_name(self) -> str: ...
    @property
    def shipping_address(self) -> str: ...
    @property
    def payment(self) -> ShopPayment | None: ...
    @property
    def created_at(self) -> datetime | None: ...
    @property
    def is_final(self) -> bool: ...
    def get_status_display(self) -> str: ...
    def get_absolute_url(self) -> str: ...


# ------------------------------------------------------------------------------------
# The interface: what the pages may ask. Both implementations answer exactly this.
# ------------------------------------------------------------------------------------


class Shop(Protocol):
    """What the pages may ask. Answers are the above; errors are the exceptions."""

    def categories(self) -> Sequence[ShopCategory]:
        """Every category, by name."""
        ...

    def product_page(
        self, *, search: str, category: str, number: Any, per_page: int
    ) -> Page[Any]:
        """A page of products, as ``Paginator.get_page(number)`` gives it."""
        ...

    def product(self, *, product_id: int) -> ShopProduct:
        """One product, its category's name included; ``NotFound``."""
        ...

    def products(self, *, ids: Iterable[int]) -> Mapping[int, ShopProduct]:
        """The cart's read: products by id, in one batch; unknown ids left out."""
        ...

    def recommendations(self, *, product_id: int, limit: int) -> Sequence[ShopProduct]:
        """Up to ``limit`` products customers also bought, best first.

        Never an error: ``[]`` when there are none or (remote) when recommendations
        do not answer in time, and the page renders without them.
        """
        ...

    def order_place(
        self,
        *,
        items: Iterable[tuple[int, int]],
        card_number: str,
        shipping_name: str,
        shipping_address: str,
        idempotency_key: str | None = None,
    ) -> ShopOrder:
        """The user's new order: paid or failed here, pending when remote.

        ``Refused`` (out of stock...), ``IdempotencyKeyReused``, ``Unavailable``.
        """
        ...

    def order_page(self, *, number: Any, per_page: int) -> Page[Any]:
        """A page of the user's orders, newest first."""
        ...

    def order(self, *, order_id: int) -> ShopOrder:
        """One of the user's orders; ``NotFound`` for anyone else's."""
        ...

    def register(self, *, username: str, email: str, password: str) -> User:
        """A new account, ready for ``login``; ``Refused`` with field errors."""
        ...

    def authenticate(self, *, username: str, password: str) -> User | None:
        """The user if the password is right; ``Refused`` after too many tries."""
        ...

    def login(self, user: User) -> None:
        """Sign the user in to this session (remote: with their tokens)."""
        ...


def shop_for(request: HttpRequest) -> Shop:
    """The request's shop, made once per request from ``settings.SHOP_BACKEND``."""
    shop: Shop | None = getattr(request, _SHOP_ATTRIBUTE, None)
    if shop is None:
        shop = shop_class(settings.SHOP_BACKEND)(request)
        setattr(request, _SHOP_ATTRIBUTE, shop)
    return shop


@cache  # on every page's path: import and look up each dotted path once
def shop_class(path: str) -> Callable[[HttpRequest], Shop]:
    """The class a dotted path names, or ``ImproperlyConfigured`` saying why not."""
    try:
        return import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(BAD_BACKEND.format(path=path, error=exc)) from exc


# ------------------------------------------------------------------------------------
# The monolith: function calls into this process's own apps and database.
# ------------------------------------------------------------------------------------


class LocalShop:
    def __init__(self, request: HttpRequest | None = None):
        self.request = request  # the catalog's reads need none: shop_for or not

    def categories(self) -> list[Category]:
        return list(catalog.category_list())

    def product_page(
        self, *, search: str, category: str, number: Any, per_page: int
    ) -> Page[Product]:
        products = catalog.product_list(search=search, category=category)
        return Paginator(products, per_page).get_page(number)

    def product(self, *, product_id: int) -> Product:
        try:
            return catalog.product_get(product_id=product_id)
        except Product.DoesNotExist as exc:
            raise NotFound from exc

    def products(self, *, ids: Iterable[int]) -> dict[int, Product]:
        return {p.pk: p for p in catalog.product_list(ids=list(ids))}  # one query

    def recommendations(self, *, product_id: int, limit: int) -> list[Product]:
        _, _, scored = recommendation_list(product_id=product_id, limit=limit)
        wanted = [pk for pk, _ in scored]
        found = self.products(ids=wanted)
        return [found[pk] for pk in wanted if pk in found]  # best first

    def order_place(
        self,
        *,
        items: Iterable[tuple[int, int]],
        card_number: str,
        shipping_name: str,
        shipping_address: str,
        idempotency_key: str | None = None,
    ) -> Order:
        try:
            placement = order_services.order_place(
                user=self._request().user,
                items=items,
                card_number=card_number,
                shipping_name=shipping_name,
                shipping_address=shipping_address,
                idempotency_key=idempotency_key,
            )
        except (OutOfStock, UnknownProducts) as exc:
            raise Refused({None: [str(exc)]}) from exc
        except ValidationError as exc:
            raise Refused({None: exc.messages}) from exc
        except order_services.IdempotencyKeyReused as exc:
            raise IdempotencyKeyReused from exc
        return placement.order

    def order_page(self, *, number: Any, per_page: int) -> Page[Order]:
        mine = orders.order_list(user=self._request().user)
        return Paginator(mine, per_page).get_page(number)

    def order(self, *, order_id: int) -> Order:
        try:
            return orders.order_get(user=self._request().user, order_id=order_id)
        except Order.DoesNotExist as exc:
            raise NotFound from exc

    def register(self, *, username: str, email: str, password: str) -> User:
        try:
            return user_create(username=username, email=email, password=password)
        except ValidationError as exc:
            raise Refused(
                {name: errors for name, errors in exc.message_dict.items()}
            ) from exc

    def authenticate(self, *, username: str, password: str) -> User | None:
        user = authenticate(self.request, username=username, password=password)
        return user if isinstance(user, User) else None  # ModelBackend's: a User

    def login(self, user: User) -> None:
        login(self._request(), user)

    def _request(self) -> HttpRequest:
        if self.request is None:  # a bug: the cart's LocalShop() is for reads only
            raise TypeError(NO_REQUEST)
        return self.request


# Checked by mypy: LocalShop answers everything the pages may ask, in their types.
_ANSWERS_THE_PAGES: Callable[[HttpRequest], Shop] = LocalShop
