"""Hardening: every /api/ error is problem+json with DEBUG on or off, bodies have a
size limit, JSON a depth limit, and every response carries the security headers."""

from http import HTTPStatus

import pytest
from django.test import Client

from extracted_services.chassis.hardening import (
    API_DOCS_POLICY,
    BAD_HOST,
    BODY_TOO_LARGE,
    PAGE_POLICY,
)
from extracted_services.chassis.parsers import NESTED_TOO_DEEPLY
from extracted_services.chassis.problems import CONTENT_TYPE

pytestmark = pytest.mark.django_db

TOO_DEEP = "[" * 3000  # json.loads raises RecursionError, not ValueError


@pytest.fixture(params=[False, True], ids=["DEBUG=False", "DEBUG=True"])
def debug(request, settings):
    """Each test runs twice: as tests and production run, and as `make run` runs."""
    settings.DEBUG = request.param
    return request.param


@pytest.fixture
def client() -> Client:
    """A client that gets the 500 answer instead of the view's exception."""
    return Client(raise_request_exception=False)


def assert_problem(response, status: HTTPStatus) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == CONTENT_TYPE
    body = response.json()
    assert body["status"] == status
    return body


def test_an_unknown_api_path_is_a_404_problem_even_with_debug(client, debug):
    """Never Django's HTML debug page under /api/."""
    assert_problem(client.get("/api/no-such-thing/"), HTTPStatus.NOT_FOUND)


def test_a_bug_under_api_is_a_500_problem_even_with_debug(client, debug):
    """Never a traceback under /api/, whatever DEBUG says."""
    response = client.get("/api/boom/")

    body = assert_problem(response, HTTPStatus.INTERNAL_SERVER_ERROR)
    assert "Traceback" not in response.content.decode()
    assert body["detail"] == "Something went wrong on our side."


def test_json_nested_too_deeply_is_a_400_problem(client, debug):
    """``[`` x 3,000 is bad JSON (a 400), not a RecursionError (a 500)."""
    response = client.post("/api/validate/", TOO_DEEP, content_type="application/json")

    assert assert_problem(response, HTTPStatus.BAD_REQUEST)["detail"] == (
        NESTED_TOO_DEEPLY
    )


def test_bad_json_is_a_400_problem(client, debug):
    """A body that is not JSON at all: 400."""
    response = client.post("/api/validate/", "{nope", content_type="application/json")

    assert_problem(response, HTTPStatus.BAD_REQUEST)


def test_a_body_above_the_limit_is_a_413_problem(client, debug, settings):
    """Refused from its Content-Length, before anything reads it."""
    body = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    response = client.post("/api/validate/", body, content_type="application/json")

    detail = assert_problem(response, HTTPStatus.REQUEST_ENTITY_TOO_LARGE)["detail"]
    assert detail == BODY_TOO_LARGE.format(limit=settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


def test_a_body_at_the_limit_is_read(client, settings):
    """The limit is a ceiling, not a wall below it: 1 MB of JSON is parsed."""
    padding = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE - 20)

    response = client.post(
        "/api/validate/", {"name": padding}, content_type="application/json"
    )

    assert response.status_code == HTTPStatus.NO_CONTENT


def test_a_disallowed_host_under_api_is_a_400_problem(client, debug):
    """Never a traceback with the settings in it."""
    response = client.get("/api/teapot/", HTTP_HOST="evil.example")

    assert assert_problem(response, HTTPStatus.BAD_REQUEST)["detail"] == BAD_HOST


def test_drfs_browsable_errors_stay_html(client, debug):
    """Accept: text/html still gets DRF's browsable page, which is no debug page."""
    response = client.get("/api/whoami/", HTTP_ACCEPT="text/html")

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("path", ["/healthz", "/api/teapot/", "/no-such-page/"])
def test_every_response_has_the_security_headers(client, path):
    """nosniff, a Referrer-Policy, no framing, and a Content-Security-Policy."""
    response = client.get(path)

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Content-Security-Policy"] == PAGE_POLICY
    assert "script-src 'self';" in PAGE_POLICY


def test_swagger_ui_may_run_its_inline_script(client):
    """/api/docs/ gets the one allowance Swagger UI needs."""
    response = client.get("/api/docs/")

    assert response["Content-Security-Policy"] == API_DOCS_POLICY
