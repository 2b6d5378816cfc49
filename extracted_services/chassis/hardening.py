"""Answers no attacker should shape: errors under /api/ always problem+json, bodies of
a bounded size, and the security headers of every response.

Copied on purpose from monolith/core/hardening.py (the services began as the
monolith's core); tests/test_copies.py keeps the two identical.
"""

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.core.exceptions import DisallowedHost, RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from rest_framework.response import Response

from .problems import CONTENT_TYPE, json_problem

API_PREFIX = "/api/"
# The longest URL (path and query) we answer. gunicorn refuses a request line above
# its limit_request_line (4094 bytes) itself, with an HTML page; below it, we refuse
# first, with a problem. tests/contract/test_security.py keeps the two in that order.
MAX_URL_LENGTH = 4000
URL_TOO_LONG = "The URL is longer than this server accepts ({limit} characters)."
BODY_TOO_LARGE = "The request body is larger than this API accepts ({limit} bytes)."
BAD_HOST = "The Host header names a host this server does not serve."
# What a client is told when Django (not DRF) answered with an error page.
DETAILS = {
    HTTPStatus.NOT_FOUND: "No such resource.",
    HTTPStatus.INTERNAL_SERVER_ERROR: "Something went wrong on our side.",
}
# The pages': scripts and styles from this origin only. Inline style attributes are
# allowed for Django's admin and DRF's browsable API, which use them; inline scripts
# are not, so injected markup cannot run code.
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# Swagger UI starts itself with an inline script (drf-spectacular's template).
API_DOCS_PREFIX = "/api/docs/"
API_DOCS_POLICY = PAGE_POLICY.replace(
    "script-src 'self'", "script-src 'self' 'unsafe-inline'"
)

GetResponse = Callable[[HttpRequest], HttpResponseBase]


class ForwardedResponse(HttpResponse):
    """An answer a service behind a gateway made, passed on as it came.

    The service applies the rule below itself, and its HTML errors are DRF's
    browsable pages, asked for with Accept: text/html: they pass unchanged.
    """


def document_refusals(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: every operation documents the refusals
    that ApiProblemMiddleware may answer any request with, before a view sees it: a
    414 for a URL above MAX_URL_LENGTH, and a 413 for a body too large where the
    operation takes one. The schema must not hide an answer the API gives."""
    too_large = BODY_TOO_LARGE.format(limit=settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation["responses"]
            responses.setdefault(
                "414", {"description": URL_TOO_LONG.format(limit=MAX_URL_LENGTH)}
            )
            if "requestBody" in operation:
                responses.setdefault("413", {"description": too_large})
    return result


class ApiProblemMiddleware:
    """Every error under /api/ is problem+json, whatever DEBUG says.

    DRF's errors already are (problems.py). This catches what Django answers itself,
    with DEBUG's HTML pages and tracebacks when it is on: an unknown path, a Host not
    in ALLOWED_HOSTS, a URL above MAX_URL_LENGTH (a 414), a body above
    DATA_UPLOAD_MAX_MEMORY_SIZE (a 413, checked from Content-Length before anything
    reads the body), a crash.
    """

    def __init__(self, get_response: GetResponse):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if len(request.get_full_path()) > MAX_URL_LENGTH:
            detail = URL_TOO_LONG.format(limit=MAX_URL_LENGTH)
            return _refusal(request, HTTPStatus.REQUEST_URI_TOO_LONG, detail)
        if _too_large(request):
            return _too_large_answer(request)
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        try:
            request.get_host()
        except DisallowedHost:
            return json_problem(HTTPStatus.BAD_REQUEST, BAD_HOST)
        response = self.get_response(request)
        if response.status_code >= HTTPStatus.BAD_REQUEST and not _is_api(response):
            status = HTTPStatus(response.status_code)
            return json_problem(status, DETAILS.get(status, status.description))
        return response

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        if isinstance(exception, RequestDataTooBig):  # a form read past the limit
            return _too_large_answer(request)
        return None


def _too_large(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False  # Django answers a malformed length itself
    return length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def _too_large_answer(request: HttpRequest) -> HttpResponse:
    detail = BODY_TOO_LARGE.format(limit=settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    return _refusal(request, HTTPStatus.REQUEST_ENTITY_TOO_LARGE, detail)


def _refusal(request: HttpRequest, status: HTTPStatus, detail: str) -> HttpResponse:
    """A problem under /api/; plain text for a page, which has no problem shape."""
    if request.path.startswith(API_PREFIX):
        return json_problem(status, detail)
    return HttpResponse(detail, status=status, content_type="text/plain")


def _is_api(response: HttpResponseBase) -> bool:
    """A DRF answer (browsable HTML included), a forwarded one, or JSON already."""
    content_type = response.get("Content-Type", "")
    if isinstance(response, Response | ForwardedResponse):
        return True
    return content_type.startswith((CONTENT_TYPE, "application/json"))


class ContentSecurityPolicyMiddleware:
    """A Content-Security-Policy on every response that has none of its own.

    The other security headers are Django's: SecurityMiddleware's nosniff and
    Referrer-Policy, XFrameOptionsMiddleware's DENY; HSTS in production settings.
    """

    def __init__(self, get_response: GetResponse):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        docs = request.path.startswith(API_DOCS_PREFIX)
        policy = API_DOCS_POLICY if docs else PAGE_POLICY
        response.setdefault("Content-Security-Policy", policy)
        return response
