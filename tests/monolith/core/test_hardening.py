"""Hardening: every /api/ error is problem+json with DEBUG on or off, bodies have a
size limit, JSON a depth limit, and every response carries the security headers."""

from http import HTTPStatus

import pytest
from django.test import Client

from monolith.core.hardening import (
    API_DOCS_POLICY,
    BAD_HOST,
    BODY_TOO_LARGE,
    MAX_URL_LENGTH,
    PAGE_POLICY,
    URL_TOO_LONG,
)
from monolith.core.parsers import NESTED_TOO_DEEPLY
from monolith.core.problems import CONTENT_TYPE

pytestmark = pytest.mark.django_db

TOO_DEEP = "[" * 3000  # json.loads raises RecursionError, not ValueError
ECHO_API = "/api/echo/submissions/"  # public: its body is parsed for anyone


@pytest.fixture(params=[False, True], ids=["DEBUG=False", "DEBUG=True"])
def debug(request, settings):
    """Each test runs twice: as tests and production run, and as `make run` runs."""
    settings.DEBUG = request.param
    return request.param


@pytest.fixture
def client() -> Client:
    """A client that gets the error answer instead of the view's exception."""
    return Client(raise_request_exception=False)


def assert_problem(response, status: HTTPStatus) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == CONTENT_TYPE
    body = response.json()
    assert body["status"] == status
    return body


@pytest.mark.parametrize("path", ["/api/no-such-thing/", "/api/orders/abc/"])
def test_an_unknown_api_path_is_a_404_problem_even_with_debug(client, debug, path):
    """Never Django's HTML debug page under /api/."""
    assert_problem(client.get(path), HTTPStatus.NOT_FOUND)


def test_json_nested_too_deeply_is_a_400_problem(client, debug):
    """``[`` x 3,000 is bad JSON (a 400), not a RecursionError (a 500)."""
    response = client.post(ECHO_API, TOO_DEEP, content_type="application/json")

    body = assert_problem(response, HTTPStatus.BAD_REQUEST)
    assert body["detail"] == NESTED_TOO_DEEPLY


def test_json_nested_too_deeply_is_a_400_at_sign_in_too(client, debug):
    """The sign-in's rate limit reads the body first: the same 400 there."""
    response = client.post(
        "/api/auth/token/", TOO_DEEP, content_type="application/json"
    )

    assert_problem(response, HTTPStatus.BAD_REQUEST)


def test_a_body_above_the_limit_is_a_413_problem(client, debug, settings):
    """Refused from its Content-Length, before anything reads it."""
    body = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    response = client.post(ECHO_API, body, content_type="application/json")

    detail = assert_problem(response, HTTPStatus.REQUEST_ENTITY_TOO_LARGE)["detail"]
    assert detail == BODY_TOO_LARGE.format(limit=settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


def test_a_page_body_above_the_limit_is_a_413(client, settings):
    """A form post past the limit is refused too, as plain text."""
    body = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    response = client.post("/echo/", body, content_type="text/plain")

    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE


def test_a_url_above_the_limit_is_a_414_problem(client, debug):
    """Ours, a problem, before gunicorn's HTML 414 (its request line limit)."""
    search = "x" * MAX_URL_LENGTH

    response = client.get(f"/api/products/?search={search}")

    detail = assert_problem(response, HTTPStatus.REQUEST_URI_TOO_LONG)["detail"]
    assert detail == URL_TOO_LONG.format(limit=MAX_URL_LENGTH)


def test_a_url_at_the_limit_is_served(client):
    """The limit itself still passes (a parameter the API ignores fills it)."""
    path = "/api/products/?padding="

    response = client.get(path + "x" * (MAX_URL_LENGTH - len(path)))

    assert response.status_code == HTTPStatus.OK


def test_a_page_url_above_the_limit_is_a_414(client):
    """A page is refused too, as plain text."""
    response = client.get("/?search=" + "x" * MAX_URL_LENGTH)

    assert response.status_code == HTTPStatus.REQUEST_URI_TOO_LONG


def test_a_disallowed_host_under_api_is_a_400_problem(client, debug):
    """Never a traceback with the settings in it."""
    response = client.get("/api/products/", HTTP_HOST="evil.example")

    assert assert_problem(response, HTTPStatus.BAD_REQUEST)["detail"] == BAD_HOST


@pytest.mark.parametrize("path", ["/", "/api/products/", "/no-such-page/"])
def test_every_response_has_the_security_headers(client, path):
    """nosniff, a Referrer-Policy, no framing, and a Content-Security-Policy."""
    response = client.get(path)

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Content-Security-Policy"] == PAGE_POLICY


def test_swagger_ui_may_run_its_inline_script(client):
    """/api/docs/ gets the one allowance Swagger UI needs."""
    response = client.get("/api/docs/")

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Security-Policy"] == API_DOCS_POLICY


def test_json_nested_too_deeply_is_a_400_for_an_order(client, debug, user):
    """The order API's own JSON parser has the same depth limit."""
    client.force_login(user)

    response = client.post("/api/orders/", TOO_DEEP, content_type="application/json")

    assert assert_problem(response, HTTPStatus.BAD_REQUEST)["detail"] == (
        NESTED_TOO_DEEPLY
    )


@pytest.mark.parametrize("path", ["/api/orders/", "/orders/"])
def test_a_users_orders_are_never_cached(client, user, path):
    """Cache-Control: private, no-store on the API and on the page."""
    client.force_login(user)

    response = client.get(path)

    assert response.status_code == HTTPStatus.OK
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
