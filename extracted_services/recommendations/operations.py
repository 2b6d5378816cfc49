"""Operations endpoints: /healthz (alive), /readyz (dependencies answer), /metrics."""

from collections.abc import Callable
from http import HTTPStatus

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST
from redis import Redis

from . import store
from .dependencies import ModelsDep, SettingsDep
from .observability import Metrics
from .schemas import Health, Readiness
from .serving import ModelHolder

router = APIRouter(include_in_schema=False)
CHECK_TIMEOUT = 1.0  # seconds: a readiness probe must answer quickly itself
OK = "ok"


@router.get("/healthz")
def healthz() -> Health:
    """Liveness: the process is up and serving."""
    return Health(status=OK)


@router.get("/readyz")
def readyz(settings: SettingsDep, models: ModelsDep) -> JSONResponse:
    """Readiness: the store and Redis answer, and the newest model loaded (if any).

    No model yet is fine (the fallback answers); one that will not load is not.
    """
    checks = {
        "database": _check(lambda: store.connect(settings.database).close()),
        "redis": _check(lambda: _ping(settings.redis_url)),
        "model": _model_check(models),
    }
    ready = all(value == OK for value in checks.values())
    body = Readiness(status=OK if ready else "unavailable", checks=checks)
    status = HTTPStatus.OK if ready else HTTPStatus.SERVICE_UNAVAILABLE
    return JSONResponse(body.model_dump(), status)


@router.get("/metrics")
def metrics(request: Request) -> Response:
    """Prometheus's scrape target: request counts and latencies."""
    registry: Metrics = request.app.state.metrics
    return Response(registry.render(), media_type=CONTENT_TYPE_LATEST)


def _check(probe: Callable[[], object]) -> str:
    try:
        probe()
    except Exception as exc:  # whatever the failure, it means "not ready"
        return f"error: {exc.__class__.__name__}"
    return OK


def _ping(url: str) -> None:
    with Redis.from_url(
        url, socket_connect_timeout=CHECK_TIMEOUT, socket_timeout=CHECK_TIMEOUT
    ) as redis:
        redis.ping()


def _model_check(models: ModelHolder) -> str:
    models.current()  # looks for a newer artifact when due
    return f"error: {models.error}" if models.error else OK
