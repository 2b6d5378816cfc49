"""RFC 9457 problem details for every error, as the Django services answer them.

FastAPI answers a bad query parameter with 422 and ``{"detail": [...]}``; the
contract wants 400 and ``{"type", "title", "status", "detail", "errors"}``, so the
handlers below replace FastAPI's defaults (registered in main.py).
"""

from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "/problems/"
INTERNAL_ERROR = "Something went wrong on our side; it has been logged."
VALIDATION_DETAIL = "The request has invalid parameters."
VALIDATION_TITLE = "Your request parameters didn't validate."
# The Django services' words for these two, so both stacks' problems read alike.
NOT_FOUND = "No such resource."
METHOD_NOT_ALLOWED = 'Method "{method}" not allowed.'


def problem_response(
    status: int,
    detail: str,
    *,
    slug: str | None = None,
    title: str | None = None,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """A problem+json response: type, title, status, detail (and any extra members)."""
    body = {
        "type": f"{TYPE_BASE}{slug}" if slug else "about:blank",
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        **extra,
    }
    return JSONResponse(body, status, headers=headers, media_type=CONTENT_TYPE)


async def http_exception_handler(request: Request, exc: HTTPException) -> JSONResponse:
    """404 for an unknown path, 401/403 from the auth dependencies, 405..."""
    detail = exc.detail
    if exc.status_code == HTTPStatus.NOT_FOUND and detail == "Not Found":
        detail = NOT_FOUND  # Starlette's own 404 (no route), not one of ours
    elif exc.status_code == HTTPStatus.METHOD_NOT_ALLOWED:
        detail = METHOD_NOT_ALLOWED.format(method=request.method)
    elif not isinstance(detail, str):
        detail = HTTPStatus(exc.status_code).description
    return problem_response(exc.status_code, detail, headers=exc.headers)


async def validation_exception_handler(
    request: Request, exc: RequestValidationError
) -> JSONResponse:
    """400, not FastAPI's 422: ``errors`` names each bad parameter."""
    return problem_response(
        HTTPStatus.BAD_REQUEST,
        VALIDATION_DETAIL,
        slug="validation-error",
        title=VALIDATION_TITLE,
        errors=field_errors(exc.errors()),
    )


def field_errors(errors: Sequence[Any]) -> dict[str, list[str]]:
    """``{"limit": ["Input should be less than or equal to 20"]}`` from pydantic's."""
    fields: dict[str, list[str]] = {}
    for error in errors:
        # ("query", "limit") -> "limit"; nested body fields get dotted names.
        location = [str(part) for part in error["loc"][1:]] or ["non_field_errors"]
        fields.setdefault(".".join(location), []).append(error["msg"])
    return fields
