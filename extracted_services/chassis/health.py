"""Operations endpoints: /healthz (alive), /readyz (dependencies answer), /metrics.

``settings.READINESS_CHECKS`` names what this service needs, as ``{name: dotted path}``
of functions that raise when their dependency does not answer.
"""

import logging
from collections.abc import Callable
from http import HTTPStatus

import httpx
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from redis import Redis

from . import heartbeats, metrics
from .outbox import relay_heartbeat_name

logger = logging.getLogger(__name__)
CHECK_TIMEOUT = 1.0  # seconds: a readiness probe must answer quickly itself


@never_cache
def healthz(request):
    """Liveness: the process is up and serving."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    """Readiness: every dependency in READINESS_CHECKS answers."""
    checks = {}
    for name, path in settings.READINESS_CHECKS.items():
        try:
            import_string(path)()
        except Exception as exc:  # whatever the failure, it means "not ready"
            logger.warning("readiness check %s failed: %r", name, exc)
            checks[name] = f"error: {exc.__class__.__name__}"
        else:
            checks[name] = "ok"
    ready = all(value == "ok" for value in checks.values())
    status = HTTPStatus.OK if ready else HTTPStatus.SERVICE_UNAVAILABLE
    body = {"status": "ok" if ready else "unavailable", "checks": checks}
    return JsonResponse(body, status=status)


@never_cache
def metrics_view(request):
    """Prometheus's scrape target: this server's request counts and latencies, for
    the holder of METRICS_TOKEN when it is set."""
    return metrics.response_for(request)


def check_database() -> None:
    """The default database answers a query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_redis() -> None:
    """The cache's Redis and the Celery broker answer a PING."""
    # The cache and the Celery broker: one Redis here, but either may be moved.
    for url in {settings.REDIS_URL, settings.CELERY_BROKER_URL}:
        Redis.from_url(
            url, socket_connect_timeout=CHECK_TIMEOUT, socket_timeout=CHECK_TIMEOUT
        ).ping()


def http_check(service: str) -> Callable[[], None]:
    """A readiness check that another service's /healthz answers 200.

    Its /healthz, not its /readyz: one service down should not make every service
    that calls it, and every service that calls those, report itself unready.
    """

    def check() -> None:
        url = f"{settings.SERVICE_URLS[service]}/healthz"
        httpx.get(url, timeout=CHECK_TIMEOUT).raise_for_status()

    check.__name__ = check.__qualname__ = f"check_{service}"
    check.__doc__ = f"{service}'s /healthz answers 200 within {CHECK_TIMEOUT} s."
    return check


def worker_check(queue_setting: str) -> Callable[[], None]:
    """A readiness check that a worker consuming ``settings.<queue_setting>`` is alive.

    Read from the worker's heartbeat in Redis (heartbeats.py): bounded by its timeout,
    kept for a second or two, so a busy probe neither hangs nor hammers the broker.
    """

    def check() -> None:
        heartbeats.check_worker(getattr(settings, queue_setting))

    check.__name__ = check.__qualname__ = f"check_{queue_setting.lower()}_worker"
    check.__doc__ = f"A worker consuming settings.{queue_setting} sent a heartbeat."
    return check


def check_outbox_relay() -> None:
    """This service's outbox relay sent a heartbeat (relay_outbox writes it).

    Without its relay a service still accepts work, but nothing it promised to send
    (a charge, an event) leaves: not ready.
    """
    heartbeats.check_worker(relay_heartbeat_name())


check_catalog = http_check("catalog")
check_orders = http_check("orders")
check_payments = http_check("payments")
check_storefront = http_check("storefront")
check_gateway = http_check("gateway")
check_orders_worker = worker_check("ORDERS_QUEUE")
check_payments_worker = worker_check("PAYMENTS_QUEUE")
