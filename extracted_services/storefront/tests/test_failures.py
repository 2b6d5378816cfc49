"""When the services behind a page fail: a friendly page, never a 500."""

import socket
from http import HTTPStatus

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from extracted_services.chassis import http

from .gateway_stand_in import problem

pytestmark = pytest.mark.django_db

LIST_URL = reverse("catalog:product-list")


def assert_friendly_unavailable_page(response, service: str) -> None:
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith("text/html")
    text = response.text
    assert 'data-testid="unavailable"' in text
    assert f"Part of the shop ({service}) is not answering" in text
    assert 'data-testid="served-by">storefront<' in text  # the site's own layout


def test_a_503_from_the_catalog_is_a_friendly_page(client, gateway):
    """The gateway's 503 (catalog down) is the storefront's page, with Retry-After."""
    unavailable = problem(HTTPStatus.SERVICE_UNAVAILABLE, "catalog is not answering")
    gateway.on("GET", "/api/categories/", lambda call: unavailable)
    gateway.on("GET", "/api/products/", lambda call: unavailable)

    response = client.get(LIST_URL)

    assert_friendly_unavailable_page(response, "catalog")


def test_a_gateway_that_does_not_answer_is_a_friendly_page(client, settings):
    """Nothing listening at GATEWAY_URL: retries, then the same friendly page."""
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gateway_url = f"http://127.0.0.1:{port}"
    settings.SERVICE_URLS = {**django_settings.SERVICE_URLS, "gateway": gateway_url}
    http.clients_reset()

    response = client.get(reverse("catalog:product-detail", args=[1]))

    assert_friendly_unavailable_page(response, "catalog")
    http.clients_reset()


def test_the_catalogs_breaker_spares_the_rest_of_the_shop(signed_in_client, gateway):
    """Catalog failing opens its breaker only: the orders page still works."""
    down = problem(HTTPStatus.SERVICE_UNAVAILABLE, "catalog is not answering")
    gateway.on("GET", "/api/categories/", lambda call: down)
    gateway.on("GET", "/api/products/", lambda call: down)
    gateway.answer("GET", "/api/orders/", {"count": 0, "results": []})
    for _ in range(3):
        signed_in_client.get(LIST_URL)

    calls_before = len(gateway.calls)
    shut = signed_in_client.get(LIST_URL)
    orders = signed_in_client.get(reverse("orders:order-list"))

    assert shut.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert orders.status_code == HTTPStatus.OK
    # The open breaker answered the list page without calling the catalog at all.
    assert [call.path for call in gateway.calls[calls_before:]] == ["/api/orders/"]
