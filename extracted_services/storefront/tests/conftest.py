"""Fixtures for the storefront: a gateway stand-in on loopback, a catalog in it, users.

Run: ``python dev.py test --service storefront``.
The storefront's pages are the monolith's views with the storefront's ``RemoteShop``:
every product and order they show comes from the stand-in, over real HTTP.
"""

from datetime import UTC, datetime, timedelta

import jwt
import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model

from extracted_services.chassis import http
from extracted_services.storefront import shop
from monolith.cart.cart import SESSION_KEY as CART_SESSION_KEY

from .gateway_stand_in import GatewayStandIn, serve

TEA = {"slug": "tea", "name": "Tea & Infusions"}
KITCHEN = {"slug": "kitchen", "name": "Kitchen"}
CUSTOMER = "ada"
PASSWORD = "plum-orchard-47-lantern"
STAND_IN_KEY = "a-stand-in-key-not-the-gateways-0123456789"


def product_json(product_id: int, **fields) -> dict:
    """A product as the catalog API answers it (``category`` is the slug)."""
    return {
        "id": product_id,
        "sku": f"SKU-{product_id:05d}",
        "name": f"Product {product_id}",
        "description": "A fine product.",
        "category": "tea",
        "price": "19.99",
        "stock": 10,
        **fields,
    }


def page_json(results: list, count: int | None = None) -> dict:
    return {
        "count": len(results) if count is None else count,
        "next": None,
        "previous": None,
        "results": results,
    }


def order_json(order_id: int, status: str = "pending", payment=None) -> dict:
    """An order as the orders API answers it: 2 x Teapot at 12.50."""
    return {
        "id": order_id,
        "status": status,
        "items": [
            {
                "product_id": 7,
                "name": "Teapot",
                "unit_price": "12.50",
                "quantity": 2,
                "line_total": "25.00",
            }
        ],
        "total": "25.00",
        "currency": "EUR",
        "shipping": {"name": "Ada Lovelace", "address": "12 St James's Square"},
        "payment": payment,
        "created_at": "2026-11-22T10:00:00Z",
    }


def token(kind: str, minutes: int = 5) -> str:
    """A JWT that looks like the gateway's; the storefront only passes it on."""
    expires = datetime.now(UTC) + timedelta(minutes=minutes)
    claims = {"token_type": kind, "exp": expires, "username": CUSTOMER, "user_id": 1}
    return jwt.encode(claims, STAND_IN_KEY, algorithm="HS256")


@pytest.fixture
def gateway(settings):
    """Every address the storefront calls (gateway, catalog, orders) answered by one
    stand-in, which serves the same paths; fresh clients and breakers."""
    stand_in = GatewayStandIn()
    server = serve(stand_in)
    called = dict.fromkeys(shop.UPSTREAMS.values(), stand_in.url)
    settings.SERVICE_URLS = {**django_settings.SERVICE_URLS, **called}
    http.clients_reset()  # new clients for the new address, with closed breakers
    yield stand_in
    server.shutdown()
    server.server_close()
    http.clients_reset()


@pytest.fixture
def catalog(gateway):
    """Two categories and three products behind the gateway stand-in."""
    products = [
        product_json(1, name="Green Tea", price="4.25", stock=40),
        product_json(2, name="Teapot", price="12.50", stock=3),
        product_json(3, name="Kettle", category="kitchen", price="30.00", stock=0),
    ]
    gateway.answer("GET", "/api/categories/", [KITCHEN, TEA])
    gateway.answer("GET", "/api/products/", page_json(products))
    for product in products:
        gateway.answer("GET", f"/api/products/{product['id']}/", product)
    return products


@pytest.fixture
def tokens():
    return {"access": token("access"), "refresh": token("refresh", minutes=60)}


@pytest.fixture
def signed_in_client(client, db, tokens):
    """A customer signed in at the gateway: a shadow user and the tokens in session."""
    user = get_user_model().objects.create(username=CUSTOMER)
    client.force_login(user)
    session = client.session
    session[shop.TOKENS_SESSION_KEY] = tokens
    session.save()
    return client


@pytest.fixture
def cart_with(client):
    """Put ``{product_id: quantity}`` in the client's session cart."""

    def fill(lines: dict[int, int]) -> None:
        session = client.session  # a new SessionStore on each access
        session[CART_SESSION_KEY] = {str(pid): qty for pid, qty in lines.items()}
        session.save()

    return fill
