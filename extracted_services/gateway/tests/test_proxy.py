"""Forwarding: what crosses to the service behind, what comes back, and failure."""

from http import HTTPStatus

import pytest

from extracted_services.gateway.routing import upstream_for


@pytest.mark.parametrize(
    ("path", "service"),
    [
        ("/api/products/", "catalog"),
        ("/api/products/3/", "catalog"),
        ("/api/categories/", "catalog"),
        ("/api/orders/12/", "orders"),
        ("/api/recommendations/", "recommendations"),
        ("/api/reports/sales/", "reports"),
        ("/reports/", "reports"),
        ("/reportsroom/", "storefront"),
        ("/api/echo/submissions/", "storefront"),
        ("/", "storefront"),
        ("/cart/", "storefront"),
        ("/static/site.css", "storefront"),
    ],
)
def test_each_path_goes_to_the_service_that_owns_it(path, service):
    """The routing table, at a glance."""
    assert upstream_for(path) == service


def test_the_request_crosses_with_its_credentials_and_request_id(api, upstream):
    """Method, path, query, body, Authorization, Idempotency-Key and our request id."""
    response = api.post(
        "/api/orders/?x=1",
        {"items": []},
        format="json",
        HTTP_AUTHORIZATION="Bearer t0ken",
        HTTP_IDEMPOTENCY_KEY="key-1",
        HTTP_X_REQUEST_ID="lab-7",
    )

    method, path, headers, body = upstream.calls[0]
    assert (method, path, body) == ("POST", "/api/orders/?x=1", '{"items":[]}')
    assert headers["Authorization"] == "Bearer t0ken"
    assert headers["Idempotency-Key"] == "key-1"
    assert headers["X-Request-ID"] == "lab-7" == response["X-Request-ID"]
    assert headers["X-Forwarded-Host"] == "testserver"


def test_the_answer_comes_back_with_its_status_headers_and_every_cookie(api, upstream):
    """Status, body, Location, the upstream's X-Served-By and both Set-Cookie lines."""
    response = api.get("/cart/")

    assert response.status_code == HTTPStatus.CREATED
    assert response["Location"] == "/api/orders/5/"
    assert response["X-Served-By"] == "stand-in"
    assert response.cookies["sessionid"].value == "abc"
    assert response.cookies["csrftoken"].value == "xyz"


def test_one_users_cookies_never_travel_with_anothers_request(api, upstream):
    """The pooled connection keeps no cookies: each request carries only its own."""
    api.get("/cart/")  # the answer sets sessionid=abc
    api.cookies.clear()

    api.get("/cart/")

    assert "sessionid" not in upstream.calls[1][2].get("Cookie", ""), upstream.calls[1][
        2
    ].get("Cookie")


def test_a_service_that_does_not_answer_is_a_503_problem_with_retry_after(
    api, nothing_upstream
):
    """Never a 500: a problem for the API, and Retry-After says when to come back."""
    response = api.get("/api/products/")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"]
    assert response.json()["type"] == "/problems/service-unavailable"


def test_a_page_that_does_not_answer_is_a_503_page(api, nothing_upstream):
    """A browser gets a page, not JSON, when the storefront is down."""
    response = api.get("/cart/")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert b"not answering" in response.content


@pytest.mark.parametrize(
    "path",
    [
        "/api/products/../../internal/schema/",
        "/api/products/%2e%2e/%2e%2e/internal/schema/",
        "/api/products/%2E./%2E./metrics",
        "/api/products/.%2e/.%2e/admin/login/",
        "/api/products/%252e%252e/%252e%252e/internal/schema/",
        "/api/products/..\\..\\internal\\schema/",
        "/api/orders/./../../internal/",
        "/internal/schema/",
    ],
)
def test_a_path_that_walks_out_of_its_prefix_is_never_forwarded(api, upstream, path):
    """Dot segments, however encoded, are a 404 problem before any routing."""
    response = api.get(path)

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response["Content-Type"] == "application/problem+json"
    assert upstream.calls == []


def test_a_dot_in_a_name_is_not_a_dot_segment(api, upstream):
    """Only whole "." and ".." segments are refused: /static/site.v2.css crosses."""
    api.get("/static/site..v2.css")

    assert upstream.calls[0][1] == "/static/site..v2.css"


def test_an_apis_cookies_never_reach_the_browser(api, upstream):
    """A service's Set-Cookie (its empty session) stops here: the shop's stays."""
    response = api.get("/api/products/")

    assert response.status_code == HTTPStatus.CREATED
    assert "sessionid" not in response.cookies
    assert "csrftoken" not in response.cookies


def test_the_shops_cookies_go_only_to_the_shop(api, upstream):
    """The storefront gets its session cookie; catalog gets no cookie at all."""
    api.cookies["sessionid"] = "shop-session"
    api.cookies["gateway_sessionid"] = "admin-session"

    api.get("/cart/")
    api.get("/api/products/")

    assert upstream.calls[0][2]["Cookie"] == "sessionid=shop-session"
    assert "Cookie" not in upstream.calls[1][2]
