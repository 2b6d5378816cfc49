"""Prometheus metrics: request counts and latency histograms by view and status.

Under gunicorn every worker is its own process; with PROMETHEUS_MULTIPROC_DIR set,
prometheus_client writes each worker's figures there and /metrics adds them up.

Copied on purpose to the services' chassis (chassis/metrics.py), so that every process
of both stacks is measured alike; tests/test_copies.py keeps the two identical.
"""

import hmac
import os
from http import HTTPStatus

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

from .problems import json_problem

SCRAPE_REFUSED = (
    "Scraping /metrics needs its credential: Authorization: Bearer <token>."
)

REQUESTS = Counter(
    "http_requests_total", "HTTP requests served.", ["view", "method", "status"]
)
LATENCY = Histogram(
    "http_request_duration_seconds",
    "Time spent serving HTTP requests.",
    ["view", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


def observe(*, view: str, method: str, status: int, seconds: float) -> None:
    labels = {"view": view, "method": method, "status": str(status)}
    REQUESTS.labels(**labels).inc()
    LATENCY.labels(**labels).observe(seconds)


def render() -> tuple[bytes, str]:
    """Return the exposition text for every process of this server."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST


def scrape_allowed(request: HttpRequest) -> bool:
    """Whether ``request`` may read the figures: it carries the scrape credential.

    With no ``METRICS_TOKEN`` set (local runs, whose ports listen on loopback only)
    anyone who can reach the port may; production settings refuse to start without
    one. The comparison takes as long whatever the guess, so timing gives none away.
    """
    token = settings.METRICS_TOKEN
    if not token:
        return True
    scheme, _, credential = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        credential.strip().encode(), token.encode()
    )


def response_for(request: HttpRequest) -> HttpResponse:
    """The /metrics answer: the figures, or a 401 problem without the credential."""
    if not scrape_allowed(request):
        refused = json_problem(HTTPStatus.UNAUTHORIZED, SCRAPE_REFUSED)
        refused["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return refused
    content, content_type = render()
    return HttpResponse(content, content_type=content_type)
