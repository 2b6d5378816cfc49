"""What the shop's pages need, and the two places it can come from: the strangler fig.

The pages (the catalog, cart, orders and accounts views) ask ``shop_for(request)``
for products, orders and users, and never care where they live:

- ``LocalShop`` calls the monolith's own selectors and services, in this process
  and this database: what the monolith serves on :8000;
- ``RemoteShop`` calls the services' public APIs over HTTP (catalog, orders, and the
  gateway for accounts): what the storefront (extracted_services/storefront) serves
  behind :8100.

``settings.SHOP_BACKEND`` ("local", the default, or "remote") picks one. Read the two
classes side by side: the function call became a request with a timeout, the
exception became a status code, the database row became a small dataclass.
"""

from __future__ import annotations  # the interface names the classes below it

import contextvars
import math
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import partial
from http import HTTPStatus
from typing import Any, Protocol

import httpx
from django.conf import settings
from django.contrib.auth import authenticate, login
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User  # the shop uses Django's own User model
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.paginator import Page, Paginator
from django.urls import reverse
from django.utils.dateparse import parse_datetime

from extracted_services.chassis.http import ServiceClient
from extracted_services.chassis.problems import ServiceUnavailable
from monolith.accounts.services import user_create
from monolith.catalog import selectors as catalog
from monolith.catalog.models import LOW_STOCK, Category, Product
from monolith.catalog.services import OutOfStock, UnknownProducts
from monolith.orders import selectors as orders
from monolith.orders import services as order_services
from monolith.orders.models import Order
from monolith.payments.models import Payment

TOKENS_SESSION_KEY = "shop_tokens"  # the gateway's access and refresh tokens
MAX_BATCH_IDS = 100  # the catalog API's limit for ?ids=

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


# A part of the shop did not answer (remote only): the chassis's 503 problem.
Unavailable = ServiceUnavailable


# ------------------------------------------------------------------------------------
# The interface: what the pages may ask. Both implementations answer exactly this.
# ------------------------------------------------------------------------------------


class Shop(Protocol):
    """What the pages may ask. Answers are the monolith's models, or their Remote*
    look-alikes below, which templates read the same way; errors are the above."""

    def categories(self) -> list[Category] | list[RemoteCategory]:
        """Every category, by name."""

    def product_page(
        self, *, search: str, category: str, number: Any, per_page: int
    ) -> Page:
        """A page of products, as ``Paginator.get_page(number)`` gives it."""

    def product(self, *, product_id: int) -> Product | RemoteProduct:
        """One product, its category's name included; ``NotFound``."""

    def products(self, *, ids: Iterable[int]) -> dict[int, Product | RemoteProduct]:
        """The cart's read: products by id, in one batch; unknown ids left out."""

    def order_place(
        self,
        *,
        items: Iterable[tuple[int, int]],
        card_number: str,
        shipping_name: str,
        shipping_address: str,
        idempotency_key: str | None = None,
    ) -> Order | RemoteOrder:
        """The user's new order: paid or failed here, pending when remote.

        ``Refused`` (out of stock...), ``IdempotencyKeyReused``, ``Unavailable``.
        """

    def order_page(self, *, number: Any, per_page: int) -> Page:
        """A page of the user's orders, newest first."""

    def order(self, *, order_id: int) -> Order | RemoteOrder:
        """One of the user's orders; ``NotFound`` for anyone else's."""

    def register(self, *, username: str, email: str, password: str) -> User:
        """A new account, ready for ``login``; ``Refused`` with field errors."""

    def authenticate(self, *, username: str, password: str) -> User | None:
        """The user if the password is right; ``Refused`` after too many tries."""

    def login(self, user: User) -> None:
        """Sign the user in to this session (remote: with their tokens)."""


def shop_for(request) -> Shop:
    """The request's shop, made once per request: local or remote, as configured."""
    shop = getattr(request, "_shop", None)
    if shop is None:
        backend = getattr(settings, "SHOP_BACKEND", "local")
        if backend not in BACKENDS:
            raise ImproperlyConfigured(f"SHOP_BACKEND must be one of {list(BACKENDS)}")
        shop = request._shop = BACKENDS[backend](request)
    return shop


# ------------------------------------------------------------------------------------
# The monolith: function calls into this process's own apps and database.
# ------------------------------------------------------------------------------------


class LocalShop:
    def __init__(self, request=None):
        self.request = request  # the catalog's reads need none: shop_for or not

    def categories(self) -> list[Category]:
        return list(catalog.category_list())

    def product_page(self, *, search, category, number, per_page) -> Page:
        products = catalog.product_list(search=search, category=category)
        return Paginator(products, per_page).get_page(number)

    def product(self, *, product_id: int) -> Product:
        try:
            return catalog.product_get(product_id=product_id)
        except Product.DoesNotExist as exc:
            raise NotFound from exc

    def products(self, *, ids: Iterable[int]) -> dict[int, Product]:
        return {p.pk: p for p in catalog.product_list(ids=list(ids))}  # one query

    def order_place(
        self,
        *,
        items,
        card_number,
        shipping_name,
        shipping_address,
        idempotency_key=None,
    ) -> Order:
        try:
            placement = order_services.order_place(
                user=self.request.user,
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

    def order_page(self, *, number, per_page) -> Page:
        mine = orders.order_list(user=self.request.user)
        return Paginator(mine, per_page).get_page(number)

    def order(self, *, order_id: int) -> Order:
        try:
            return orders.order_get(user=self.request.user, order_id=order_id)
        except Order.DoesNotExist as exc:
            raise NotFound from exc

    def register(self, *, username, email, password) -> User:
        try:
            return user_create(username=username, email=email, password=password)
        except ValidationError as exc:
            raise Refused(exc.message_dict) from exc

    def authenticate(self, *, username, password) -> User | None:
        return authenticate(self.request, username=username, password=password)

    def login(self, user: User) -> None:
        login(self.request, user)


# ------------------------------------------------------------------------------------
# The services stack: the services' APIs answer in JSON; these dataclasses give the
# templates what the models gave them (get_absolute_url, get_status_display, ...).
# ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RemoteCategory:
    slug: str
    name: str

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{reverse('catalog:product-list')}?category={self.slug}"


@dataclass(frozen=True)
class RemoteProduct:
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

    def get_absolute_url(self) -> str:
        return reverse("catalog:product-detail", kwargs={"product_id": self.id})

    @property
    def in_stock(self) -> bool:
        return self.stock > 0

    @property
    def low_stock(self) -> bool:
        return 0 < self.stock <= LOW_STOCK


@dataclass(frozen=True)
class RemoteOrderLine:
    product_id: int
    name: str
    unit_price: Decimal
    quantity: int

    @property
    def line_total(self) -> Decimal:
        return self.unit_price * self.quantity


class RemoteLines(tuple):
    """An order's lines, readable as ``order.lines.all`` like a related manager."""

    def all(self) -> RemoteLines:
        return self


@dataclass(frozen=True)
class RemotePayment:
    status: str
    card_last4: str
    failure_reason: str

    def get_status_display(self) -> str:
        return _label(Payment.Status, self.status)

    def get_failure_reason_display(self) -> str:
        return _label(Payment.FailureReason, self.failure_reason)


@dataclass(frozen=True)
class RemoteOrder:
    id: int
    status: str
    lines: RemoteLines
    total: Decimal
    currency: str
    shipping_name: str
    shipping_address: str
    payment: RemotePayment | None
    created_at: datetime | None

    def __str__(self) -> str:
        return f"Order #{self.id} ({self.status})"

    @property
    def pk(self) -> int:
        return self.id

    def get_absolute_url(self) -> str:
        return reverse("orders:order-detail", kwargs={"order_id": self.id})

    def get_status_display(self) -> str:
        return _label(Order.Status, self.status)

    @property
    def is_final(self) -> bool:
        return self.status != Order.Status.PENDING


def _label(choices, value: str) -> str:
    """The monolith's label for a choice's value; the value itself if it is new."""
    return dict(choices.choices).get(value, value)


class RemotePaginator(Paginator):
    """A Paginator for one page an API has already cut: it needs only the count."""

    def __init__(self, count: int, per_page: int):
        super().__init__([], per_page)
        self._count = count

    @property
    def count(self) -> int:
        return self._count


# ------------------------------------------------------------------------------------
# The services stack: HTTP calls to the services' public APIs.
# ------------------------------------------------------------------------------------

# One client, so one circuit breaker, per part of the API: a catalog that is down
# does not stop anyone from signing in or reading their orders.
CATALOG, ORDERS, ACCOUNTS = "catalog", "orders", "accounts"
# Who answers each part. The storefront is inside the stack, beside the services, so
# it calls them directly (they check the user's token themselves) and the gateway
# only for accounts, which live there. Calling back out through the gateway would
# make every page hold a gateway thread while it waits for another one: with enough
# pages at once, they all wait on each other until they time out (docs/benchmark.md).
UPSTREAMS = {CATALOG: "catalog", ORDERS: "orders", ACCOUNTS: "gateway"}
_clients: dict[str, ServiceClient] = {}
_clients_lock = threading.Lock()
# For the reads a page makes at once; its threads start on first use.
_pool = ThreadPoolExecutor(max_workers=16, thread_name_prefix="shop")


def _client(name: str) -> ServiceClient:
    with _clients_lock:
        if name not in _clients:
            _clients[name] = ServiceClient(
                name,
                settings.SERVICE_URLS[UPSTREAMS[name]],
                timeout=settings.STOREFRONT_HTTP_TIMEOUT,
            )
        return _clients[name]


class RemoteShop:
    """The services' APIs, called as the signed-in user, with the tokens in the session.

    Reads the page needs at once go out in parallel (``STOREFRONT_PARALLEL_CALLS``);
    the cart asks for its products in one batch (``STOREFRONT_CART_BATCH``).
    """

    def __init__(self, request):
        self.request = request
        self._categories: list[RemoteCategory] | None = None

    # -- catalog: public reads ------------------------------------------------------

    def categories(self) -> list[RemoteCategory]:
        if self._categories is None:  # once per request: most pages need them twice
            body = _json(_client(CATALOG).get("/api/categories/"))
            self._categories = [RemoteCategory(c["slug"], c["name"]) for c in body]
        return self._categories

    def product_page(self, *, search, category, number, per_page) -> Page:
        filters = {"search": search, "category": category, "page_size": per_page}
        filters = {name: value for name, value in filters.items() if value}
        fetch = partial(_client(CATALOG).get, "/api/products/")

        def page() -> Page:
            return _page(
                lambda n: fetch(params={**filters, "page": n}), number, per_page
            )

        _, products = self._together(self.categories, page)
        return _with_objects(products, self._product)

    def product(self, *, product_id: int) -> RemoteProduct:
        fetch = partial(_client(CATALOG).get, f"/api/products/{product_id}/")
        _, response = self._together(self.categories, fetch)
        if response.status_code == HTTPStatus.NOT_FOUND:
            raise NotFound
        return self._product(_json(response))

    def products(self, *, ids: Iterable[int]) -> dict[int, RemoteProduct]:
        """The products with these ids; unknown ids are simply left out."""
        ids = sorted(set(ids))
        if settings.STOREFRONT_CART_BATCH:  # one call per 100 products
            chunks = [
                ids[i : i + MAX_BATCH_IDS] for i in range(0, len(ids), MAX_BATCH_IDS)
            ]
            pages = self._together(*(partial(self._batch, chunk) for chunk in chunks))
            found = [product for page in pages for product in page]
        else:  # one call per product: kept to measure what the batch saves
            answers = self._together(*(partial(self._one, pk) for pk in ids))
            found = [product for product in answers if product is not None]
        return {body["id"]: self._product(body) for body in found}

    def _batch(self, ids: list[int]) -> list[dict]:
        params = {"ids": ",".join(map(str, ids)), "page_size": MAX_BATCH_IDS}
        return _json(_client(CATALOG).get("/api/products/", params=params))["results"]

    def _one(self, product_id: int) -> dict | None:
        response = _client(CATALOG).get(f"/api/products/{product_id}/")
        if response.status_code == HTTPStatus.NOT_FOUND:
            return None
        return _json(response)

    # -- orders: as the signed-in user ----------------------------------------------

    def order_place(
        self,
        *,
        items,
        card_number,
        shipping_name,
        shipping_address,
        idempotency_key=None,
    ) -> RemoteOrder:
        body = {
            "items": [{"product_id": pk, "quantity": qty} for pk, qty in items],
            "card_number": card_number,
            "shipping": {"name": shipping_name, "address": shipping_address},
        }
        # With a key, sending the order twice places it once: safe to retry.
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        response = self._as_user(
            "POST", "/api/orders/", json=body, headers=headers, idempotent=bool(headers)
        )
        if response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY:
            raise IdempotencyKeyReused
        if response.status_code in (HTTPStatus.BAD_REQUEST, HTTPStatus.CONFLICT):
            # Field errors (an unknown product), or out of stock: above the form, as
            # the monolith shows them.
            raise Refused({None: _refusal(response).messages})
        return _order(_json(response))

    def order_page(self, *, number, per_page) -> Page:
        def fetch(n: int) -> httpx.Response:
            params = {"page": n, "page_size": per_page}
            return self._as_user("GET", "/api/orders/", params=params)

        return _with_objects(_page(fetch, number, per_page), _order)

    def order(self, *, order_id: int) -> RemoteOrder:
        response = self._as_user("GET", f"/api/orders/{order_id}/")
        if response.status_code == HTTPStatus.NOT_FOUND:
            raise NotFound
        return _order(_json(response))

    # -- accounts: the gateway owns the users ---------------------------------------

    def register(self, *, username, email, password) -> User:
        """Sign up at the gateway, then sign in there."""
        body = {"username": username, "email": email, "password": password}
        response = _client(ACCOUNTS).post("/api/auth/register/", json=body)
        if response.status_code != HTTPStatus.CREATED:
            raise _refusal(response)
        user = self.authenticate(username=username, password=password)
        if user is None:  # the account exists, yet its password does not work
            raise SignInRequired
        return user

    def authenticate(self, *, username, password) -> User | None:
        """The shadow user, carrying the gateway's tokens; None for a wrong password.

        The shadow user is this process's own User of the same name, without a
        password: ``login_required``, ``request.user`` and logging out work on it.
        """
        body = {"username": username, "password": password}
        response = _client(ACCOUNTS).post("/api/auth/token/", json=body)
        if response.status_code in (HTTPStatus.BAD_REQUEST, HTTPStatus.UNAUTHORIZED):
            return None
        if response.status_code != HTTPStatus.OK:  # 429: too many attempts
            raise _refusal(response)
        user, _ = User.objects.get_or_create(
            username=username, defaults={"password": make_password(None)}
        )
        user.gateway_tokens = _json(response)  # until login() keeps them
        return user

    def login(self, user: User) -> None:
        login(self.request, user)
        # After login(), which may have started a new session: the tokens stay in it.
        self.request.session[TOKENS_SESSION_KEY] = user.gateway_tokens

    # -- plumbing --------------------------------------------------------------------

    def _as_user(self, method, path, *, headers=None, **kwargs) -> httpx.Response:
        """A call to the orders API with the user's token, renewed once if expired."""
        tokens = self.request.session.get(TOKENS_SESSION_KEY)
        if not tokens:
            raise SignInRequired
        for attempt in range(2):
            bearer = {"Authorization": f"Bearer {tokens['access']}"}
            response = _client(ORDERS).request(
                method, path, headers={**(headers or {}), **bearer}, **kwargs
            )
            if response.status_code != HTTPStatus.UNAUTHORIZED:
                return response
            if attempt == 0:  # a 401 did nothing: safe to send again, renewed
                tokens = self._renewed(tokens)
        raise SignInRequired

    def _renewed(self, tokens: dict) -> dict:
        body = {"refresh": tokens["refresh"]}
        response = _client(ACCOUNTS).post("/api/auth/token/refresh/", json=body)
        if response.status_code != HTTPStatus.OK:  # the refresh token expired too
            raise SignInRequired
        tokens = {**tokens, **response.json()}  # a new access (and refresh) token
        self.request.session[TOKENS_SESSION_KEY] = tokens
        return tokens

    def _together(self, *calls: Callable[[], Any]) -> list:
        """Independent reads at once (threads), or one after another: a switch.

        Only calls that touch no database go here: the threads have no connection.
        """
        if len(calls) < 2 or not settings.STOREFRONT_PARALLEL_CALLS:
            return [call() for call in calls]
        # Each call runs in a copy of this context, so the request id goes along.
        futures = [_pool.submit(contextvars.copy_context().run, c) for c in calls]
        return [future.result() for future in futures]

    def _product(self, body: dict) -> RemoteProduct:
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


BACKENDS: dict[str, Callable[[Any], Shop]] = {"local": LocalShop, "remote": RemoteShop}


def _json(response: httpx.Response) -> Any:
    """The body of a successful answer; any other is a bug here, so a 500."""
    response.raise_for_status()
    return response.json()


def _refusal(response: httpx.Response) -> Refused:
    """A problem+json answer as the pages' ``Refused``: its field errors, or detail."""
    problem = response.json()
    errors = problem.get("errors") or {None: [problem.get("detail", "")]}
    # "non_field_errors" and nested names (items.0.quantity) belong to no field here.
    return Refused({name: list(messages) for name, messages in errors.items()})


def _page(fetch: Callable[[int], httpx.Response], number, per_page: int) -> Page:
    """Paginator.get_page for a list API: any page past the last is the last one."""
    try:
        wanted = max(int(number), 1)
    except (TypeError, ValueError):
        wanted = 1
    response = fetch(wanted)
    if response.status_code == HTTPStatus.NOT_FOUND and wanted > 1:
        count = _json(fetch(1))["count"]  # DRF's 404 past the end says no more
        wanted = max(math.ceil(count / per_page), 1)
        response = fetch(wanted)
    body = _json(response)
    return Page(body["results"], wanted, RemotePaginator(body["count"], per_page))


def _with_objects(page: Page, make: Callable[[dict], Any]) -> Page:
    page.object_list = [make(body) for body in page.object_list]
    return page


def _order(body: dict) -> RemoteOrder:
    payment = body["payment"]
    return RemoteOrder(
        id=body["id"],
        status=body["status"],
        lines=RemoteLines(
            RemoteOrderLine(
                product_id=line["product_id"],
                name=line["name"],
                unit_price=Decimal(line["unit_price"]),
                quantity=line["quantity"],
            )
            for line in body["items"]
        ),
        total=Decimal(body["total"]),
        currency=body["currency"],
        shipping_name=body["shipping"]["name"],
        shipping_address=body["shipping"]["address"],
        payment=RemotePayment(**payment) if payment else None,
        created_at=parse_datetime(body["created_at"]),
    )
