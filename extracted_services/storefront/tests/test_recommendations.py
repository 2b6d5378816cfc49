"""Customers also bought: shown when recommendations answer in time, else left out.

The product page is the same page without the block whenever recommendations is
down, slow or wrong; nothing else on it changes, and the breaker soon stops asking.
"""

import socket
import threading
import time
from http import HTTPStatus

import pytest
from django.urls import reverse

from extracted_services.storefront.shop import recommendations

from .gateway_stand_in import Answer, problem

pytestmark = pytest.mark.django_db

PATH = "/api/recommendations/"
BLOCK = 'data-testid="also-bought"'
SLOW_SECONDS = 3  # far past the storefront's 300 ms


def answer_for(*product_ids: int) -> dict:
    return {
        "product_id": 3,
        "strategy": "co-purchase",
        "model": {"version": "v1", "trained_at": None, "orders_seen": 2},
        "results": [{"product_id": pk, "score": 0.5} for pk in product_ids],
    }


@pytest.fixture
def stand_in(gateway, catalog, settings):
    """Recommendations answered by the gateway stand-in too, with a fresh breaker."""
    settings.SERVICE_URLS = {**settings.SERVICE_URLS, "recommendations": gateway.url}
    recommendations._client = None
    yield gateway
    recommendations._client = None


def page(client):
    return client.get(reverse("catalog:product-detail", args=[3]))


def test_the_block_lists_recommended_products_best_first(client, stand_in):
    """Products 2 then 1, each linking to its page, from one catalog batch call."""
    stand_in.answer("GET", PATH, answer_for(2, 1))

    response = page(client)

    assert response.status_code == HTTPStatus.OK
    text = response.text
    assert BLOCK in text
    assert "Customers also bought" in text
    block = text[text.index(BLOCK) :]
    assert block.index('href="/products/2/"') < block.index('href="/products/1/"')
    (call,) = stand_in.calls_to(PATH)
    assert call.query == {"product_id": "3", "limit": "4"}
    assert call.headers["x-request-id"] == response["X-Request-ID"]


def test_an_error_from_recommendations_leaves_the_block_out(client, stand_in):
    stand_in.on(
        "GET", PATH, lambda call: problem(HTTPStatus.INTERNAL_SERVER_ERROR, "x")
    )

    response = page(client)

    assert response.status_code == HTTPStatus.OK
    assert BLOCK not in response.text
    assert "Kettle" in response.text  # the rest of the page is all there


def test_a_slow_recommendations_service_does_not_hold_the_page(client, stand_in):
    """It answers in 3 s: the page does not wait (300 ms), and has no block."""
    release = threading.Event()

    def slow(call):
        release.wait(SLOW_SECONDS)
        return Answer(HTTPStatus.OK, answer_for(2))

    stand_in.on("GET", PATH, slow)
    try:
        started = time.monotonic()
        response = page(client)
        elapsed = time.monotonic() - started
    finally:
        release.set()

    assert response.status_code == HTTPStatus.OK
    assert BLOCK not in response.text
    assert elapsed < SLOW_SECONDS / 2


def test_a_down_service_opens_the_breaker_and_is_not_asked_again(client, stand_in):
    """Three failures open it: later pages do not even try, for a while."""
    down = problem(HTTPStatus.SERVICE_UNAVAILABLE, "recommendations is down")
    stand_in.on("GET", PATH, lambda call: down)

    for _ in range(6):
        assert BLOCK not in page(client).text

    assert len(stand_in.calls_to(PATH)) == 3


def test_nothing_listening_is_a_page_without_the_block(
    client, gateway, catalog, settings
):
    """Connection refused: the same page, minus the block."""
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    nowhere = f"http://127.0.0.1:{port}"
    settings.SERVICE_URLS = {**settings.SERVICE_URLS, "recommendations": nowhere}
    recommendations._client = None

    response = page(client)

    recommendations._client = None
    assert response.status_code == HTTPStatus.OK
    assert BLOCK not in response.text
