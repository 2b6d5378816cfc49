"""Calling another service over HTTP, the careful way.

Every call has a timeout. Calls that are safe to repeat (GET, HEAD, PUT, DELETE, or
a POST the caller marks idempotent) are retried a few times when the connection is
refused or the callee answers 502/503/504 (never after a timeout: the caller would
wait a timeout more), with exponential backoff and full jitter so that callers do
not retry in lockstep. A circuit breaker per
service called stops calling one that keeps failing, and lets a trial call through
after a pause (half-open); every process of the calling service shares it
(breakers.py). Whatever goes wrong, the caller gets one exception,
``ServiceUnavailable``, which the problem handler turns into a 503 with Retry-After.
"""

import logging
import random
import threading
import time
from http.cookiejar import CookieJar, DefaultCookiePolicy

import httpx
import pybreaker
from django.conf import settings

from .auth import SERVICE_TOKEN_HEADER, service_token
from .breakers import breakers_reset, shared_breaker
from .problems import ServiceUnavailable
from .request_id import HEADER, current_request_id

logger = logging.getLogger(__name__)

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
RETRY_STATUSES = frozenset({502, 503, 504})
BACKOFF_BASE = 0.05  # seconds before the first retry, doubled each time
BACKOFF_CAP = 1.0
# An idle pooled connection is dropped after this long, before the callee's gunicorn
# would close it (keepalive = 5 in compose/gunicorn.conf.py). The other way round,
# a request sent as the server closes the connection meets a reset, which for a
# POST cannot be retried (httpx's default keeps connections 5 s; gunicorn's 2 s).
KEEPALIVE_EXPIRY = 4.0
POOL_LIMITS = httpx.Limits(keepalive_expiry=KEEPALIVE_EXPIRY)


class _ServerError(Exception):
    """A 5xx answer: counts against the breaker like a connection failure."""

    def __init__(self, response: httpx.Response):
        super().__init__(f"{response.status_code} from {response.request.url}")
        self.response = response


class ServiceClient:
    """One service's client: a pooled connection, a timeout, retries, a breaker."""

    def __init__(
        self,
        name: str,
        base_url: str,
        *,
        timeout: float | None = None,
        retries: int = 2,
        fail_max: int = 5,
        reset_timeout: float | None = None,
    ):
        self.name = name
        self.retries = retries
        self.breaker = shared_breaker(
            name,
            fail_max=fail_max,
            reset_timeout=(
                settings.CIRCUIT_BREAKER_RESET_SECONDS
                if reset_timeout is None
                else reset_timeout
            ),
        )
        self.http = httpx.Client(
            base_url=base_url,
            timeout=timeout if timeout is not None else settings.HTTP_TIMEOUT,
            limits=POOL_LIMITS,
            # Shared by every request of the process: it must never keep cookies
            # from one answer and send them with someone else's request.
            cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
        )

    def request(
        self,
        method: str,
        path: str,
        *,
        json=None,
        params=None,
        headers: dict[str, str] | None = None,
        idempotent: bool | None = None,
        timeout: float | None = None,
    ) -> httpx.Response:
        """The response (any status below 500), or ``ServiceUnavailable``.

        ``timeout``: this call's, for one that is slow on purpose (a password
        check); None keeps the client's ``HTTP_TIMEOUT``.
        """
        method = method.upper()
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        attempts = 1 + (self.retries if idempotent else 0)
        for attempt in range(attempts):
            try:
                return self.breaker.call(
                    self._send,
                    method,
                    path,
                    json=json,
                    params=params,
                    headers=headers,
                    timeout=timeout,
                )
            except pybreaker.CircuitBreakerError as exc:
                # Open: fail fast, without calling, until the reset timeout passes.
                logger.warning("%s: circuit open, not calling", self.name)
                raise ServiceUnavailable(self.name) from exc
            except (httpx.TransportError, _ServerError) as exc:
                retryable = _worth_retrying(exc)
                if attempt + 1 < attempts and retryable:
                    delay = _backoff(attempt)
                    logger.info(
                        "%s %s %s failed (%s); retry in %.0f ms",
                        self.name, method, path, exc, delay * 1000,
                    )  # fmt: skip
                    time.sleep(delay)
                    continue
                logger.warning("%s %s %s failed: %s", self.name, method, path, exc)
                raise ServiceUnavailable(self.name) from exc
        raise AssertionError("unreachable")  # the loop always returns or raises

    def _send(self, method, path, *, json, params, headers, timeout) -> httpx.Response:
        outgoing = {
            HEADER: current_request_id.get(),
            # Addressed to this service only: replayed to another, it is refused.
            SERVICE_TOKEN_HEADER: service_token(self.name),
            **(headers or {}),
        }
        response = self.http.request(
            method,
            path,
            json=json,
            params=params,
            headers=outgoing,
            timeout=httpx.USE_CLIENT_DEFAULT if timeout is None else timeout,
        )
        if response.status_code >= 500:
            raise _ServerError(response)
        return response

    def get(self, path: str, **kwargs) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> httpx.Response:
        return self.request("POST", path, **kwargs)

    def delete(self, path: str, **kwargs) -> httpx.Response:
        return self.request("DELETE", path, **kwargs)


def _worth_retrying(exc: Exception) -> bool:
    """A refused connection or a 502/503/504 may go better at once; a timeout not.

    A callee too slow to answer within the timeout is stopped or overloaded: asking
    again would make the caller wait another timeout (three tries of 2 s kept a
    customer 6 s for a 503 while catalog was frozen), and add to the load. The
    caller's wait stays one timeout; the breaker stops the calls that follow.
    """
    if isinstance(exc, httpx.TimeoutException):
        return False
    if isinstance(exc, _ServerError):
        return exc.response.status_code in RETRY_STATUSES
    return True


def _backoff(attempt: int) -> float:
    """Exponential backoff with full jitter: anywhere from 0 to base * 2^attempt."""
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2**attempt)
    return random.uniform(0, ceiling)  # noqa: S311 (spreading retries, not security)


_clients: dict[str, ServiceClient] = {}
_clients_lock = threading.Lock()


def client_for(name: str) -> ServiceClient:
    """The process's one client for service ``name`` (``settings.SERVICE_URLS``)."""
    with _clients_lock:
        if name not in _clients:
            _clients[name] = ServiceClient(name, settings.SERVICE_URLS[name])
        return _clients[name]


def clients_reset() -> None:
    """Forget the process's clients and close the service's breakers.

    For tests that point the service at a stand-in, or change its timeouts: new
    clients for the new settings, and breakers that have seen no failure yet.
    """
    with _clients_lock:
        _clients.clear()
    breakers_reset()
