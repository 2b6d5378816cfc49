"""Forward a request to the service that answers it, and its answer back.

What crosses: the method, path, query and body, the headers the services need
(credentials, CSRF, the idempotency key, and the cookies of the service that owns
them), the gateway's own request id, and where the client really called
(X-Forwarded-*, so links in answers name the gateway). What comes back: the status,
body and the headers a browser or client needs, with the cookies of the services
that serve pages (PROXY_COOKIES): an API's session cookie never reaches the browser,
where it would replace, or delete, the shop's. A path that could walk out of its
prefix (``..``, however encoded) is a 404 before any routing. A service that does
not answer is a 503 with Retry-After, after which its circuit breaker spares it (and
us) for a few seconds.
"""

import logging
import threading
from http import HTTPStatus
from http.cookies import SimpleCookie

import httpx
import pybreaker
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from extracted_services.chassis.breakers import shared_breaker
from extracted_services.chassis.hardening import ForwardedResponse
from extracted_services.chassis.http import POOL_LIMITS
from extracted_services.chassis.problems import (
    RETRY_AFTER_SECONDS,
    SERVICE_UNAVAILABLE,
    json_problem,
)
from extracted_services.chassis.request_id import HEADER

from .routing import is_forwardable, upstream_for

logger = logging.getLogger(__name__)

REQUEST_HEADERS = [
    "Accept",
    "Accept-Language",
    "Authorization",
    "Content-Type",
    "Idempotency-Key",
    "If-None-Match",
    "Origin",
    "Referer",
    "User-Agent",
    "X-CSRFToken",
]
RESPONSE_HEADERS = [
    "Allow",
    "Cache-Control",
    "Content-Disposition",
    "Content-Language",
    "Content-Type",
    "ETag",
    "Expires",
    "Last-Modified",
    "Location",
    "Retry-After",
    "Vary",
    "WWW-Authenticate",
    "X-Served-By",
]
NOT_FORWARDED = "No such resource."  # the same words as any other 404
PAGE_UNAVAILABLE = (
    "<!doctype html><title>Service unavailable</title>"
    "<h1>The shop is not answering</h1><p>{detail}</p>"
)


class Upstream:
    """Keep-alive connections to one service, and a breaker counting its failures.

    A proxy sends through httpx's transport (the connection pool itself), not an
    ``httpx.Client``: a client adds to every call what a proxy must not use (a cookie
    jar, which would keep one user's session and send it with the next user's
    request; redirects, which are the browser's to follow) and pays for it on every
    call: merging the base URL and reading and filling the jar were over a third of
    httpx's time on the hop (cProfile). The transport is what httpx's OpenTelemetry
    instrumentation traces, so the hop stays in the trace.
    """

    def __init__(self, name: str, base_url: str):
        self.name = name
        self.base_url = base_url.rstrip("/")
        self.transport = httpx.HTTPTransport(limits=POOL_LIMITS)  # chassis/http.py
        self.timeout = httpx.Timeout(settings.PROXY_TIMEOUT).as_dict()
        # Shared by every gateway process: they stop forwarding, and start again,
        # together (chassis/breakers.py).
        self.breaker = shared_breaker(
            name,
            fail_max=settings.PROXY_BREAKER_FAIL_MAX,
            reset_timeout=settings.PROXY_BREAKER_RESET_SECONDS,
        )

    def send(
        self, method: str, path: str, *, content: bytes, headers: dict[str, str]
    ) -> httpx.Response:
        """The service's answer to ``path`` (with its query), read whole."""
        request = httpx.Request(
            method,
            self.base_url + path,
            content=content,
            headers=headers,
            extensions={"timeout": self.timeout},
        )
        answer = self.transport.handle_request(request)
        try:
            answer.read()  # inside the breaker: a body that never comes is a failure
        finally:
            answer.close()  # the connection goes back to the pool
        return answer


_upstreams: dict[str, Upstream] = {}
_lock = threading.Lock()


def upstream(name: str) -> Upstream:
    with _lock:
        if name not in _upstreams:
            _upstreams[name] = Upstream(name, settings.SERVICE_URLS[name])
        return _upstreams[name]


@csrf_exempt  # the service behind checks CSRF itself, on its own forms
def proxy_view(request):
    if not is_forwardable(request.path):
        return json_problem(HTTPStatus.NOT_FOUND, NOT_FORWARDED)
    target = upstream(upstream_for(request.path))
    headers = {
        name: request.headers[name]
        for name in REQUEST_HEADERS
        if name in request.headers
    }
    if cookies := _cookies_for(target.name, request):
        headers["Cookie"] = cookies
    headers |= {
        HEADER: request.request_id,  # our id, so both logs show the same one
        "X-Forwarded-Host": request.get_host(),
        "X-Forwarded-Proto": request.scheme,
        "X-Forwarded-For": request.META.get("REMOTE_ADDR", ""),
    }
    try:
        answer = target.breaker.call(
            target.send,
            request.method,
            request.get_full_path(),
            content=request.body,
            headers=headers,
        )
    except (httpx.TransportError, pybreaker.CircuitBreakerError) as exc:
        logger.warning("%s did not answer %s: %r", target.name, request.path, exc)
        return _unavailable(request, target.name)
    response = ForwardedResponse(answer.content, status=answer.status_code)
    for name in RESPONSE_HEADERS:
        if name in answer.headers:
            response[name] = answer.headers[name]
    passed = settings.PROXY_COOKIES.get(target.name, ())
    for line in answer.headers.get_list("set-cookie"):
        parsed: SimpleCookie = SimpleCookie()
        parsed.load(line)
        for name, morsel in parsed.items():
            if name in passed:
                response.cookies[name] = morsel
    return response


def _cookies_for(service: str, request: HttpRequest) -> str:
    """The Cookie header for ``service``: only the cookies it set itself."""
    passed = settings.PROXY_COOKIES.get(service, ())
    return "; ".join(
        f"{name}={value}" for name, value in request.COOKIES.items() if name in passed
    )


def _unavailable(request, service: str) -> HttpResponse:
    detail = SERVICE_UNAVAILABLE.format(service=service)
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = json_problem(
            HTTPStatus.SERVICE_UNAVAILABLE,
            detail,
            type="/problems/service-unavailable",
            title="Service unavailable",
            service=service,
        )
    else:
        page = PAGE_UNAVAILABLE.format(detail=detail)
        response = HttpResponse(page, status=HTTPStatus.SERVICE_UNAVAILABLE)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
