"""Request ids, log lines that carry them, and Prometheus metrics, the Flask way.

The Django chassis does this with middleware; here the same behaviours are Flask
request hooks: ``before_request`` takes the caller's X-Request-ID (or makes one),
``after_request`` echoes it, names us in X-Served-By and counts the request.
"""

import logging
import os
import sys
import time
from pathlib import Path

from flask import Flask, Response, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

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
    process_name,
    start_tracing,
    tag_request,
)

LOG_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"


REQUESTS = Counter(
    "http_requests_total", "HTTP requests served.", ["view", "method", "status"]
)
LATENCY = Histogram(
    "http_request_duration_seconds",
    "Time spent serving HTTP requests.",
    ["view", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


def configure_logging() -> None:
    """One console handler on the root logger, in the chassis's line format."""
    root = logging.getLogger()
    if any(isinstance(f, RequestIdFilter) for h in root.handlers for f in h.filters):
        return  # a second app in the same process (tests) keeps the first's handler
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(handler)
    root.setLevel(os.environ.get("LOG_LEVEL", "INFO"))


def init_app(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_finish)
    app.teardown_request(_forget)
    if app.config["TRACING"]:
        _trace(app)


def _trace(app: Flask) -> None:
    """Spans for requests, the stream's commands and the queries (chassis/tracing.py):
    ``reports`` for the web process, ``reports-consumer`` for ``reports consume``."""
    # Imported only when tracing is on: with it off, nothing of it is loaded.
    from opentelemetry.instrumentation.flask import FlaskInstrumentor

    start_tracing(
        process_name(app.config["SERVICE_NAME"], sys.argv),
        directory=Path(app.config["TRACES_DIR"]),
        instrument=("httpx", "redis", "sqlite3", "psycopg"),
    )
    FlaskInstrumentor().instrument_app(app, excluded_urls=UNTRACED_URLS)


def _start() -> None:
    g.request_id = accept_or_new(request.headers.get(HEADER))
    g.started = time.perf_counter()
    current_request_id.set(g.request_id)
    tag_request(g.request_id)


def _finish(response: Response) -> Response:
    response.headers[HEADER] = g.get("request_id") or current_request_id.get()
    response.headers.setdefault("X-Served-By", current_app.config["SERVED_BY"])
    # Label by endpoint name, never by raw path: ids in paths would explode the series.
    labels = {
        "view": request.endpoint or "<unmatched>",
        "method": request.method,
        "status": str(response.status_code),
    }
    REQUESTS.labels(**labels).inc()
    LATENCY.labels(**labels).observe(time.perf_counter() - g.get("started", 0.0))
    return response


def _forget(exc: BaseException | None) -> None:
    current_request_id.set("-")


def metrics_text() -> tuple[bytes, str]:
    """The exposition text of every gunicorn worker (PROMETHEUS_MULTIPROC_DIR)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST
