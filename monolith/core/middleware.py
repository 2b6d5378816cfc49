"""Middleware: tag each request with an id, and count it for /metrics."""

import time

from django.conf import settings
from django.core.signals import request_finished
from django.dispatch import receiver
from django.urls import Resolver404, resolve

from . import metrics
from .request_id import HEADER, accept_or_new, current_request_id
from .tracing import tag_request


class RequestIdMiddleware:
    """Accept the caller's X-Request-ID (or make one) and echo it on the response.

    The id stays set after the middleware returns: Django writes its own log line for
    a 4xx or 5xx ("django.request: Not Found: ...") once the whole middleware chain
    has answered, and that line should carry the id too. It is cleared when the
    response has been sent (``request_finished``), before the thread serves another.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = accept_or_new(request.headers.get(HEADER))
        request.request_id = request_id
        current_request_id.set(request_id)
        tag_request(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        response["X-Served-By"] = settings.SERVED_BY
        return response


@receiver(request_finished, dispatch_uid="core.forget_request_id")
def _forget_request_id(**kwargs):
    current_request_id.set("-")


class MetricsMiddleware:
    """Count requests and time them, labelled by view name and status code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        metrics.observe(
            view=_view_name(request),
            method=request.method,
            status=response.status_code,
            seconds=time.perf_counter() - started,
        )
        return response


def _view_name(request) -> str:
    # Label by route name, never by raw path: ids in paths would explode the series.
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return "<unmatched>"
    return match.view_name or "<unnamed>"
