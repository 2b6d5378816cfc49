"""Operations endpoints (/healthz, /readyz, /metrics) and /api/-aware error pages."""

from http import HTTPStatus

from django.conf import settings
from django.db import connections
from django.http import JsonResponse
from django.views import defaults
from django.views.decorators.cache import never_cache
from redis import Redis
from redis.exceptions import RedisError

from . import heartbeats, metrics
from .problems import json_problem


@never_cache
def healthz(request):
    """Liveness: the process is up and serving."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    """Readiness: the database and the broker answer, and the worker is alive."""
    checks = {alias: _database_ok(alias) for alias in connections}
    checks["broker"] = _redis_ok(settings.CELERY_BROKER_URL)
    checks["cache"] = _redis_ok(settings.REDIS_URL)
    checks["worker"] = _worker_ok(settings.CELERY_TASK_DEFAULT_QUEUE)
    ready = all(value == "ok" for value in checks.values())
    status = HTTPStatus.OK if ready else HTTPStatus.SERVICE_UNAVAILABLE
    body = {"status": "ok" if ready else "unavailable", "checks": checks}
    return JsonResponse(body, status=status)


@never_cache
def metrics_view(request):
    """Prometheus's scrape target, for the holder of METRICS_TOKEN when it is set."""
    return metrics.response_for(request)


def _database_ok(alias: str) -> str:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # any driver error means "not ready"
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _redis_ok(url: str) -> str:
    try:
        Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except RedisError as exc:
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _worker_ok(queue: str) -> str:
    """A worker consuming ``queue`` has sent a heartbeat lately (core/heartbeats.py)."""
    try:
        heartbeats.check_worker(queue)
    except (heartbeats.WorkerSilent, RedisError) as exc:
        return f"error: {exc.__class__.__name__}"
    return "ok"


def api_aware_404(request, exception):
    if request.path.startswith("/api/"):
        return json_problem(HTTPStatus.NOT_FOUND, "No such resource.")
    return defaults.page_not_found(request, exception)


def api_aware_500(request):
    if request.path.startswith("/api/"):
        return json_problem(
            HTTPStatus.INTERNAL_SERVER_ERROR,
            "Something went wrong on our side.",
            request_id=getattr(request, "request_id", ""),
        )
    return defaults.server_error(request)
