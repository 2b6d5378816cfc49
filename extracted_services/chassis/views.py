"""Django's 404 and 500 pages, as problem+json for API paths."""

from http import HTTPStatus

from django.views import defaults

from .problems import json_problem

# The public API and the services' internal one (catalog's /internal/reservations/):
# their callers are programs, which read problems, not pages.
API_PREFIXES = ("/api/", "/internal/")


def api_aware_404(request, exception):
    if request.path.startswith(API_PREFIXES):
        return json_problem(HTTPStatus.NOT_FOUND, "No such resource.")
    return defaults.page_not_found(request, exception)


def api_aware_500(request):
    if request.path.startswith(API_PREFIXES):
        return json_problem(
            HTTPStatus.INTERNAL_SERVER_ERROR,
            "Something went wrong on our side.",
            request_id=getattr(request, "request_id", ""),
        )
    return defaults.server_error(request)
