"""Request ids in every log line, and request counts and latencies for /metrics.

The same behaviour as the Django chassis (extracted_services/chassis/request_id.py,
logging.py, metrics.py), written the FastAPI way: a contextvar, a logging filter,
an HTTP middleware and a prometheus_client registry per app.
"""

import logging
import logging.config
from collections.abc import Awaitable, Callable
from pathlib import Path
from time import perf_counter

from fastapi import FastAPI, Request, Response
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

# The request-id rule and the log filter are the chassis's own: plain Python, no
# Django in them, so a service in another framework shares them rather than copy.
from extracted_services.chassis.logging import RequestIdFilter
from extracted_services.chassis.request_id import (
    HEADER,
    accept_or_new,
    current_request_id,
)
from extracted_services.chassis.tracing import (
    UNTRACED_URLS,
    start_tracing,
    tag_request,
)

from .problems import INTERNAL_ERROR, problem_response

SERVED_BY_HEADER = "X-Served-By"
UNMATCHED = "<unmatched>"

logger = logging.getLogger(__name__)


def configure_logging(level: str) -> None:
    """One format for every line, uvicorn's too: ``[<request id>] name: message``."""
    handler = {"handlers": ["console"], "level": level, "propagate": False}
    logging.config.dictConfig(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "filters": {"request_id": {"()": RequestIdFilter}},
            "formatters": {
                "plain": {
                    "format": "%(asctime)s %(levelname)s [%(request_id)s] "
                    "%(name)s: %(message)s"
                }
            },
            "handlers": {
                "console": {
                    "class": "logging.StreamHandler",
                    "filters": ["request_id"],
                    "formatter": "plain",
                }
            },
            "root": {"handlers": ["console"], "level": level},
            "loggers": {"uvicorn": handler, "uvicorn.access": handler},
        }
    )


class Metrics:
    """Request counts and a latency histogram, by route and status (one per app)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        labels = ["view", "method", "status"]
        self.requests = Counter(
            "http_requests_total",
            "HTTP requests served.",
            labels,
            registry=self.registry,
        )
        self.latency = Histogram(
            "http_request_duration_seconds",
            "Time spent serving HTTP requests.",
            labels,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=self.registry,
        )

    def observe(self, *, view: str, method: str, status: int, seconds: float) -> None:
        labels = {"view": view, "method": method, "status": str(status)}
        self.requests.labels(**labels).inc()
        self.latency.labels(**labels).observe(seconds)

    def render(self) -> bytes:
        return generate_latest(self.registry)


def trace(app: FastAPI, *, process: str, directory: Path) -> None:
    """Spans for the app's requests, its Redis and SQLite calls (chassis/tracing.py)."""
    # Imported only when tracing is on: with it off, nothing of it is loaded.
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    start_tracing(process, directory=directory, instrument=("redis", "sqlite3"))
    FastAPIInstrumentor.instrument_app(app, excluded_urls=UNTRACED_URLS)


CallNext = Callable[[Request], Awaitable[Response]]


def request_context(
    *, served_by: str, metrics: Metrics
) -> Callable[[Request, CallNext], Awaitable[Response]]:
    """The HTTP middleware: request id in and out, X-Served-By, metrics, no traces."""

    async def middleware(request: Request, call_next: CallNext) -> Response:
        request_id = accept_or_new(request.headers.get(HEADER))
        # Set in this request's own context: the endpoint (run in a worker thread
        # with a copy of it) and every log line of the request see it.
        current_request_id.set(request_id)
        tag_request(request_id)
        started = perf_counter()
        try:
            response = await call_next(request)
        except Exception:  # a bug: log it here, with the id; answer a problem
            logger.exception("%s %s failed", request.method, request.url.path)
            response = problem_response(500, INTERNAL_ERROR)
        response.headers[HEADER] = request_id
        response.headers.setdefault(SERVED_BY_HEADER, served_by)
        # By route template, never raw path: ids in paths would explode the series.
        route = request.scope.get("route")
        metrics.observe(
            view=getattr(route, "path", UNMATCHED),
            method=request.method,
            status=response.status_code,
            seconds=perf_counter() - started,
        )
        return response

    return middleware
