"""RFC 9457 problem details for every error under /api/.

DRF's exceptions go through ``problem_exception_handler``; Django's own 404 and 500
for /api/ paths go through ``core.views.api_aware_404`` and ``api_aware_500``.

Copied on purpose to the services' chassis (chassis/problems.py), where every
service uses it; tests/test_copies.py keeps the two identical. Here the pages meet
``ServiceUnavailable`` only as the storefront's shop raises it (``shop.Unavailable``).
"""

from http import HTTPStatus

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, JsonResponse
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "/problems/"  # relative URIs, documented in docs/architecture.md
SERVICE_UNAVAILABLE = "{service} is not answering; try again in a few seconds."
RETRY_AFTER_SECONDS = 5


def problem_type(slug: str) -> str:
    """``/problems/<slug>``: the problem's type, a URI relative to the API."""
    return f"{TYPE_BASE}{slug}"


class ProblemError(exceptions.APIException):
    """An API error with its own problem type, e.g. ``out-of-stock``.

    Raise it (or a subclass) from an API view. Extension members come as keywords,
    ``OutOfStockProblem(message, product_id=3)``, or as one dict, ``extra={...}``.
    """

    status_code = HTTPStatus.BAD_REQUEST
    slug = "bad-request"
    title = "Bad request"

    def __init__(
        self,
        detail: str,
        *,
        extra: dict | None = None,
        headers: dict[str, str] | None = None,
        **members,
    ):
        super().__init__(detail)
        self.extra = {**(extra or {}), **members}
        self.headers = headers or {}


class ServiceUnavailable(ProblemError):
    """Another service we need is down, slow, or its circuit breaker is open: 503."""

    status_code = HTTPStatus.SERVICE_UNAVAILABLE
    slug = "service-unavailable"
    title = "Service unavailable"

    def __init__(self, service: str, *, retry_after: int = RETRY_AFTER_SECONDS):
        super().__init__(
            SERVICE_UNAVAILABLE.format(service=service),
            extra={"service": service},
            headers={"Retry-After": str(retry_after)},
        )
        self.service = service
        self.retry_after = retry_after


def problem_body(
    status: int, detail, *, slug: str | None = None, title: str | None = None
) -> dict:
    """The members every problem has: type, title, status, detail."""
    phrase = HTTPStatus(status).phrase
    return {
        "type": problem_type(slug) if slug else "about:blank",
        "title": title or phrase,
        "status": status,
        "detail": detail,
    }


def problem_exception_handler(exc, context):
    """DRF's handler, reshaped into problem+json."""
    # Selectors raise Model.DoesNotExist; to a client that is simply a 404.
    if isinstance(exc, Http404 | ObjectDoesNotExist):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None  # a real bug: let Django log it and answer with api_aware_500

    status = response.status_code
    if isinstance(exc, ProblemError):
        body = problem_body(status, str(exc.detail), slug=exc.slug, title=exc.title)
        body.update(exc.extra)
        headers = exc.headers
    elif isinstance(exc, exceptions.ValidationError):
        body = problem_body(
            status,
            "The request body has invalid fields.",
            slug="validation-error",
            title="Your request parameters didn't validate.",
        )
        body["errors"] = _field_errors(exc.detail)
        headers = {}
    else:
        body = problem_body(status, _flatten(response.data))
        headers = {}

    # The browsable API renders errors as HTML; everything else gets problem+json.
    renderer = getattr(context.get("request"), "accepted_renderer", None)
    is_html = getattr(renderer, "format", "") == "api"
    problem = Response(
        body, status=status, content_type=None if is_html else CONTENT_TYPE
    )
    for name in ("Retry-After", "WWW-Authenticate", "Allow"):
        if name in response:
            problem[name] = response[name]
    for name, value in headers.items():
        problem[name] = value
    return problem


def _field_errors(detail) -> dict[str, list[str]]:
    """``{"field": ["message"]}``; nested fields get dotted names (items.0.quantity)."""
    if isinstance(detail, list):
        detail = {"non_field_errors": detail}
    errors: dict[str, list[str]] = {}

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict):
            for key, sub in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), sub)
        elif (
            isinstance(value, list)
            and value
            and not all(isinstance(v, str) for v in value)
        ):
            for index, sub in enumerate(value):
                if sub:
                    walk(f"{prefix}.{index}", sub)
        else:
            messages = value if isinstance(value, list) else [value]
            errors[prefix or "non_field_errors"] = [str(m) for m in messages]

    walk("", detail)
    return errors


def _flatten(data) -> str:
    if isinstance(data, dict) and "detail" in data:
        return str(data["detail"])
    return str(data)


def json_problem(
    status: int,
    detail: str,
    *,
    type: str | None = None,  # the RFC 9457 member's name, so the keyword too
    title: str | None = None,
    **extra,
) -> JsonResponse:
    """A problem response outside DRF: the 404 and 500 handlers, a proxy's answers."""
    body = problem_body(status, detail, title=title)
    if type:
        body["type"] = type
    body.update(extra)
    return JsonResponse(body, status=status, content_type=CONTENT_TYPE)
