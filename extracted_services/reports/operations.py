"""Operations endpoints, as every process has them: /healthz, /readyz, /metrics,
and the OpenAPI document at /api/schema/ too, where the gateway looks for it."""

import logging
from http import HTTPStatus
from typing import Any

from apiflask import APIBlueprint
from flask import Response, current_app, jsonify
from redis import Redis
from sqlalchemy import text

from .extensions import db
from .observability import metrics_text

logger = logging.getLogger(__name__)
bp = APIBlueprint("operations", __name__, enable_openapi=False)
CHECK_TIMEOUT = 1.0  # seconds: a readiness probe must answer quickly itself


@bp.get("/healthz")
def healthz() -> dict[str, str]:
    """Liveness: the process is up and serving."""
    return {"status": "ok"}


@bp.get("/readyz")
def readyz() -> tuple[Response, int]:
    """Readiness: our database and the Redis holding the event stream answer."""
    checks = {}
    for name, check in (("database", check_database), ("redis", check_redis)):
        try:
            check()
        except Exception as exc:  # whatever the failure, it means "not ready"
            logger.warning("readiness check %s failed: %r", name, exc)
            checks[name] = f"error: {exc.__class__.__name__}"
        else:
            checks[name] = "ok"
    ready = all(value == "ok" for value in checks.values())
    body = {"status": "ok" if ready else "unavailable", "checks": checks}
    status = HTTPStatus.OK if ready else HTTPStatus.SERVICE_UNAVAILABLE
    return jsonify(body), status


@bp.get("/metrics")
def metrics() -> Response:
    """Prometheus's scrape target: request counts and latencies."""
    content, content_type = metrics_text()
    return Response(content, content_type=content_type)


@bp.get("/api/schema/")
def schema() -> dict[str, Any]:
    """This service's OpenAPI document (also at /openapi.json), for the gateway."""
    # APIFlask adds .spec to the app it makes; current_app is typed as a plain Flask.
    return current_app.spec  # type: ignore[attr-defined]


def check_database() -> None:
    db.session.execute(text("SELECT 1"))
    db.session.rollback()


def check_redis() -> None:
    url = current_app.config["REDIS_URL"]
    with Redis.from_url(
        url, socket_connect_timeout=CHECK_TIMEOUT, socket_timeout=CHECK_TIMEOUT
    ) as redis:
        redis.ping()
