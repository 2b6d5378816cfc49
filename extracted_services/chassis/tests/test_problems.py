"""Problem details (RFC 9457): every error under /api/ has the same shape."""

from http import HTTPStatus

import pytest
from django.test import Client

from extracted_services.chassis.problems import (
    CONTENT_TYPE,
    RETRY_AFTER_SECONDS,
    SERVICE_UNAVAILABLE,
    json_problem,
)
from extracted_services.chassis.request_id import HEADER

from .urls import TEAPOT

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_problem_error_has_its_type_and_extension_members(api_client, method):
    """A ProblemError subclass answers with its status, type, title and extras."""
    response = getattr(api_client, method)("/api/teapot/")

    assert response.status_code == HTTPStatus.IM_A_TEAPOT
    assert response["Content-Type"] == CONTENT_TYPE
    assert response.json() == {
        "type": "/problems/teapot",
        "title": "I'm a teapot",
        "status": HTTPStatus.IM_A_TEAPOT,
        "detail": TEAPOT,
        "product_id": 3,
    }


def test_service_unavailable_is_a_503_with_retry_after(api_client):
    """Another service down: 503, its type, its name, and when to try again."""
    response = api_client.get("/api/unavailable/")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response.json() == {
        "type": "/problems/service-unavailable",
        "title": "Service unavailable",
        "status": HTTPStatus.SERVICE_UNAVAILABLE,
        "detail": SERVICE_UNAVAILABLE.format(service="catalog"),
        "service": "catalog",
    }


def test_invalid_input_lists_the_fields(api_client):
    """A validation error names each field with its messages."""
    response = api_client.post("/api/validate/", {}, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response["Content-Type"] == CONTENT_TYPE
    body = response.json()
    assert body["type"] == "/problems/validation-error"
    assert body["errors"] == {"name": ["This field is required."]}


def test_drfs_own_errors_become_problems(api_client):
    """A method the view lacks is a 405 problem that keeps the Allow header."""
    response = api_client.delete("/api/teapot/")

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert response["Content-Type"] == CONTENT_TYPE
    assert response.json()["type"] == "about:blank"
    assert "GET" in response["Allow"]


def test_an_unknown_api_path_is_a_404_problem(api_client):
    """Django's own 404, under /api/, is problem+json too."""
    response = api_client.get("/api/nothing-here/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response["Content-Type"] == CONTENT_TYPE
    assert response.json() == {
        "type": "about:blank",
        "title": "Not Found",
        "status": HTTPStatus.NOT_FOUND,
        "detail": "No such resource.",
    }


def test_an_unknown_page_is_an_html_404(api_client):
    """Outside /api/ a 404 stays a page."""
    response = api_client.get("/nothing-here/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response["Content-Type"].startswith("text/html")


def test_a_bug_under_api_is_a_500_problem_naming_the_request():
    """An unhandled exception: a 500 problem with the id to find it in the logs."""
    client = Client(raise_request_exception=False)

    response = client.get("/api/boom/", headers={HEADER: "find-me"})

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert response["Content-Type"] == CONTENT_TYPE
    assert response.json()["request_id"] == "find-me"
    assert response[HEADER] == "find-me"


def test_a_bug_in_a_page_is_an_html_500():
    """Outside /api/ a 500 stays a page."""
    client = Client(raise_request_exception=False)

    response = client.get("/boom/")

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert response["Content-Type"].startswith("text/html")


def test_json_problem_takes_a_type_title_and_extras():
    """Outside DRF (the gateway's proxy): the same body from one function."""
    response = json_problem(
        HTTPStatus.SERVICE_UNAVAILABLE,
        "catalog is not answering.",
        type="/problems/service-unavailable",
        title="Service unavailable",
        service="catalog",
    )

    assert response["Content-Type"] == CONTENT_TYPE
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.content.decode().startswith(
        '{"type": "/problems/service-unavailable", "title": "Service unavailable"'
    )
