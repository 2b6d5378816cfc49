"""Errors under /api/ are RFC 9457 problem details, never HTML or tracebacks."""

from http import HTTPStatus

from rest_framework import exceptions

from monolith.core.problems import CONTENT_TYPE, ProblemError, problem_exception_handler


class Conflict(ProblemError):
    status_code = HTTPStatus.CONFLICT
    slug = "out-of-stock"
    title = "Out of stock"


def test_an_unknown_api_path_is_a_404_problem(client):
    """Django's own 404 under /api/ is problem+json too."""
    response = client.get("/api/no-such-thing/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response["Content-Type"] == CONTENT_TYPE
    assert response.json() == {
        "type": "about:blank",
        "title": "Not Found",
        "status": HTTPStatus.NOT_FOUND,
        "detail": "No such resource.",
    }


def test_validation_errors_name_each_field_with_dotted_paths():
    """Nested serializer errors become ``errors`` keyed by dotted field names."""
    exc = exceptions.ValidationError(
        {"items": [{}, {"quantity": ["Too many."]}], "card_number": ["Invalid."]}
    )

    response = problem_exception_handler(exc, {})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.content_type == CONTENT_TYPE
    assert response.data["type"] == "/problems/validation-error"
    assert response.data["errors"] == {
        "items.1.quantity": ["Too many."],
        "card_number": ["Invalid."],
    }


def test_a_typed_problem_keeps_its_type_extras_and_headers():
    """ProblemError subclasses set the type, extension members and headers."""
    exc = Conflict("Only 2 left.", extra={"product_id": 7}, headers={"X-Hint": "1"})

    response = problem_exception_handler(exc, {})

    assert response.status_code == HTTPStatus.CONFLICT
    assert response.data == {
        "type": "/problems/out-of-stock",
        "title": "Out of stock",
        "status": HTTPStatus.CONFLICT,
        "detail": "Only 2 left.",
        "product_id": 7,
    }
    assert response["X-Hint"] == "1"


def test_throttling_keeps_retry_after():
    """A 429 problem tells the client when to try again."""
    response = problem_exception_handler(exceptions.Throttled(wait=30), {})

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert response["Retry-After"] == "30"
    assert response.data["title"] == "Too Many Requests"
