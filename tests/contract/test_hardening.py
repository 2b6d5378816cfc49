"""What a hostile caller tries, on both stacks: walking past the gateway, a session
lost to an API's cookie, errors that are not problems, missing security headers, and
a sign-in limit dodged with X-Forwarded-For."""

import http.client
from http import HTTPStatus
from urllib.parse import urlsplit

import httpx
import pytest

from .helpers import PASSWORD, assert_problem, unique
from .pages import sign_in

WALKS = [
    "/api/products/../../internal/schema/",
    "/api/products/%2e%2e/%2e%2e/metrics",
    "/api/products/%2E./%2E./admin/login/",
    "/api/products/.%2e/.%2e/internal/schema/",
    "/api/products/%252e%252e/%252e%252e/internal/schema/",
    "/api/products/..%5c..%5cinternal%5cschema/",
]
TOO_DEEP = "[" * 3000
TOO_LARGE = b"x" * 2_000_000  # above the documented 1 MB


def raw_get(base_url: str, path: str, **headers: str) -> tuple[int, str, str]:
    """GET ``path`` exactly as written (``curl --path-as-is``): status, type, body."""
    address = urlsplit(base_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=15)
    try:
        connection.request("GET", path, headers=headers)
        answer = connection.getresponse()
        body = answer.read().decode(errors="replace")
        return answer.status, answer.getheader("Content-Type", ""), body
    finally:
        connection.close()


@pytest.mark.parametrize("path", WALKS)
def test_a_path_cannot_walk_out_of_its_prefix(stack, path):
    """Dot segments, however encoded, are a 400 or 404 problem, never another path."""
    status, content_type, body = raw_get(stack.base_url, path)

    assert status in (HTTPStatus.BAD_REQUEST, HTTPStatus.NOT_FOUND), body[:300]
    assert content_type.startswith("application/problem+json")


def test_opening_an_api_url_in_the_browser_keeps_the_shop_session(api, user):
    """An API's own session cookie never reaches the browser to replace the shop's."""
    sign_in(api, user.username, PASSWORD)

    browsed = api.get("/api/products/", headers={"Accept": "text/html"})
    orders = api.get("/orders/")

    assert browsed.status_code == HTTPStatus.OK
    assert orders.status_code == HTTPStatus.OK, orders.headers.get("location")


@pytest.mark.parametrize("path", ["/api/orders/abc/", "/api/no-such-thing/"])
def test_an_unknown_api_path_is_a_404_problem(api, user, path):
    """Never an HTML page under /api/."""
    assert_problem(api.get(path, headers=user.headers), HTTPStatus.NOT_FOUND)


def test_an_order_nested_too_deeply_is_a_400_problem(api, user):
    """``[`` x 3,000 is bad JSON, not a 500."""
    headers = {**user.headers, "Content-Type": "application/json"}

    response = api.post("/api/orders/", content=TOO_DEEP, headers=headers)

    assert_problem(response, HTTPStatus.BAD_REQUEST)


def test_a_body_above_the_limit_is_a_413_problem(api, user):
    """2 MB is above the documented 1 MB: refused before it is read."""
    headers = {**user.headers, "Content-Type": "application/json"}

    response = api.post("/api/orders/", content=TOO_LARGE, headers=headers)

    assert_problem(response, HTTPStatus.REQUEST_ENTITY_TOO_LARGE)


def test_a_disallowed_host_under_api_is_a_400_problem(stack):
    """No traceback, no settings: a problem."""
    status, content_type, _ = raw_get(
        stack.base_url, "/api/products/", Host="evil.example"
    )

    assert status == HTTPStatus.BAD_REQUEST
    assert content_type.startswith("application/problem+json")


@pytest.mark.parametrize("path", ["/", "/api/products/", "/accounts/login/"])
def test_every_response_has_the_security_headers(api, path):
    """nosniff, a Referrer-Policy, no framing, and a Content-Security-Policy."""
    headers = api.get(path).headers

    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-frame-options"] == "DENY"
    assert "default-src 'self'" in headers["content-security-policy"]
    assert "script-src 'self';" in headers["content-security-policy"]


def test_a_users_orders_are_never_cached(api, user):
    """Cache-Control: private, no-store on the orders API and the orders page."""
    from_api = api.get("/api/orders/", headers=user.headers)
    sign_in(api, user.username, PASSWORD)
    from_page = api.get("/orders/")

    for response in (from_api, from_page):
        assert response.status_code == HTTPStatus.OK
        directives = {d.strip() for d in response.headers["cache-control"].split(",")}
        assert {"private", "no-store"} <= directives


def test_a_new_x_forwarded_for_each_try_buys_no_extra_guesses(stack):
    """The limit keys on the address the stack saw, not on the client's header."""
    url = stack.throttled_base_url or stack.base_url
    credentials = {"username": unique("dodger"), "password": "not-the-password"}
    with httpx.Client(base_url=url, timeout=15) as client:
        for attempt in range(100):
            forwarded = {"X-Forwarded-For": f"203.0.113.{attempt % 250}"}
            response = client.post(
                "/api/auth/token/", json=credentials, headers=forwarded
            )
            if response.status_code != HTTPStatus.UNAUTHORIZED:
                break

    assert_problem(response, HTTPStatus.TOO_MANY_REQUESTS)
