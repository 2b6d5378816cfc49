"""The display cache (shop/display_cache.py): the catalog's answers kept a few seconds.

Every test here turns it on (the test settings keep it off) and starts from an empty
cache. The gateway stand-in records every call, so "no call" is an empty list.
"""

from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.core.cache.backends import locmem
from django.test import Client
from django.urls import reverse

from extracted_services.storefront.shop import display_cache
from monolith.cart.cart import SESSION_KEY as CART_SESSION_KEY

from .conftest import page_json
from .gateway_stand_in import Answer

pytestmark = pytest.mark.django_db

HOME_URL = reverse("catalog:product-list")
CART_URL = reverse("cart:detail")
CHECKOUT_URL = reverse("orders:checkout")
ORDERS_URL = reverse("orders:order-list")
SECONDS = 10


@pytest.fixture(autouse=True)
def display_cache_on(settings):
    settings.STOREFRONT_CACHE_SECONDS = SECONDS
    caches[display_cache.CACHE].clear()
    yield
    caches[display_cache.CACHE].clear()  # nothing kept for the next test


@pytest.fixture
def prices(gateway, catalog):
    """The catalog's products by id, answering ``?ids=`` with just those asked for.

    A test changes a price here: ``prices[2]["price"] = "14.00"``.
    """
    by_id = {product["id"]: dict(product) for product in catalog}

    def products(call):
        if "ids" not in call.query:
            return Answer(body=page_json(list(by_id.values())))
        asked = [int(pk) for pk in call.query["ids"].split(",")]
        return Answer(body=page_json([by_id[pk] for pk in asked if pk in by_id]))

    gateway.on("GET", "/api/products/", products)
    return by_id


@pytest.fixture
def clock(monkeypatch):
    """The cache backend's clock, moved on by hand: ``clock.advance(seconds)``.

    LocMemCache decides an entry has run out with ``time.time()``; only its own view
    of the time moves, so nothing else in the test process is affected.
    """
    now = {"offset": 0.0}
    real = locmem.time.time
    fake = SimpleNamespace(time=lambda: real() + now["offset"])
    monkeypatch.setattr(locmem, "time", fake)

    def advance(seconds: float) -> None:
        now["offset"] += seconds

    return SimpleNamespace(advance=advance)


def another_customer(lines: dict[int, int]) -> Client:
    """A second browser with a cart of its own."""
    other = Client()
    session = other.session  # a new session, its cookie set on the client
    session[CART_SESSION_KEY] = {str(pk): qty for pk, qty in lines.items()}
    session.save()
    return other


def test_a_second_home_page_within_the_ttl_asks_the_catalog_nothing(
    client, gateway, catalog
):
    first = client.get(HOME_URL)
    assert len(gateway.calls) == 2  # the categories and the products
    gateway.calls.clear()

    second = client.get(HOME_URL)

    assert gateway.calls == []
    assert second.text.count('class="card-title"') == 3
    assert "Tea &amp; Infusions" in second.text  # names from the kept categories
    assert second.context["page_obj"].paginator.count == (
        first.context["page_obj"].paginator.count
    )


def test_a_second_cart_page_within_the_ttl_asks_the_catalog_nothing(
    client, gateway, prices, cart_with
):
    cart_with({1: 2, 2: 1})
    client.get(CART_URL)
    gateway.calls.clear()

    response = client.get(CART_URL)

    assert gateway.calls == []
    assert 'data-testid="cart-total"><strong>€21.00' in response.text


def test_a_cart_asks_only_for_the_products_not_kept_yet(
    client, gateway, prices, cart_with
):
    """One entry per product: another cart shares what the first one read."""
    cart_with({1: 1, 2: 1})
    client.get(CART_URL)
    gateway.calls.clear()

    another_customer({2: 1, 3: 1}).get(CART_URL)

    (call,) = gateway.calls
    assert call.query["ids"] == "3"


@pytest.mark.parametrize("url", [HOME_URL, CART_URL])
def test_with_0_seconds_every_page_asks_the_catalog(
    client, gateway, prices, cart_with, settings, url
):
    settings.STOREFRONT_CACHE_SECONDS = 0
    cart_with({1: 1})
    client.get(url)
    asked_once = len(gateway.calls)

    client.get(url)

    assert asked_once > 0
    assert len(gateway.calls) == 2 * asked_once


def test_each_customer_sees_their_own_cart(client, gateway, prices, cart_with):
    """The products are shared, the carts never: the lines come from each session."""
    cart_with({1: 2})
    mine = client.get(CART_URL)

    theirs = another_customer({2: 3}).get(CART_URL)

    assert [line.product.pk for line in mine.context["lines"]] == [1]
    assert [line.product.pk for line in theirs.context["lines"]] == [2]
    assert 'data-testid="cart-total"><strong>€8.50' in mine.text
    assert 'data-testid="cart-total"><strong>€37.50' in theirs.text


def test_a_customers_orders_are_read_every_time(signed_in_client, gateway):
    gateway.answer("GET", "/api/orders/", page_json([]))

    signed_in_client.get(ORDERS_URL)
    signed_in_client.get(ORDERS_URL)

    assert len(gateway.calls_to("/api/orders/")) == 2


def test_the_checkout_page_reads_the_current_prices(
    signed_in_client, gateway, prices, cart_with
):
    """The cart page may show a kept price; the total to pay is the catalog's now."""
    cart_with({2: 2})
    signed_in_client.get(CART_URL)  # keeps product 2 at 12.50
    prices[2]["price"] = "14.00"

    cart = signed_in_client.get(CART_URL)
    checkout = signed_in_client.get(CHECKOUT_URL)

    assert 'data-testid="cart-total"><strong>€25.00' in cart.text  # kept: stale
    assert 'data-testid="checkout-total">€28.00' in checkout.text


def test_searches_are_not_kept(client, gateway, catalog):
    client.get(HOME_URL, {"q": "tea"})
    client.get(HOME_URL, {"q": "tea"})

    assert len(gateway.calls_to("/api/products/")) == 2


def test_kept_answers_run_out_after_the_ttl(client, gateway, prices, cart_with, clock):
    """A price change shows on the cart page once its entry has run out."""
    cart_with({2: 1})
    client.get(CART_URL)
    prices[2]["price"] = "14.00"

    clock.advance(SECONDS - 1)
    still_kept = client.get(CART_URL)
    clock.advance(2)
    gateway.calls.clear()
    fresh = client.get(CART_URL)

    assert 'data-testid="cart-total"><strong>€12.50' in still_kept.text
    assert 'data-testid="cart-total"><strong>€14.00' in fresh.text
    assert len(gateway.calls_to("/api/products/")) == 1
