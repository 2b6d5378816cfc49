"""RFC 9457 problem details for every error, whatever raised it.

APIFlask sends every HTTP error (our ``abort``s, its own validation errors,
Werkzeug's 404 and 405, and the 500 of an unexpected exception) through one error
processor; this one shapes them all as ``application/problem+json``, the body the
Django services' ``problem_exception_handler`` writes. Under /reports/, the pages,
an error is an HTML page instead, as the monolith's pages answer one.
"""

from http import HTTPStatus
from typing import Any

from apiflask import APIFlask, HTTPError
from flask import Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

CONTENT_TYPE = "application/problem+json"
VALIDATION_TYPE = "/problems/validation-error"
VALIDATION_TITLE = "Your request parameters didn't validate."
VALIDATION_DETAIL = "The query string has invalid parameters."
# Werkzeug's own descriptions are HTML-minded prose; these are the Django services'
# words (chassis/views.py for an unknown path, DRF for a wrong method).
NOT_FOUND = "No such resource."
METHOD_NOT_ALLOWED = 'Method "{method}" not allowed.'
SERVER_ERROR = "A server error occurred."
PAGES = "/reports/"  # pages.py's paths: their errors are pages, as the monolith's


def problem_body(status: int, detail: str, **extra: Any) -> dict[str, Any]:
    """The members every problem has: type, title, status, detail (and any extra)."""
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    return {**body, **extra}


def problem_response(body: dict[str, Any], headers: Any = None) -> Response:
    response = jsonify(body)
    response.status_code = body["status"]
    response.content_type = CONTENT_TYPE
    for name, value in dict(headers or {}).items():
        response.headers[name] = value
    return response


def field_errors(detail: dict[str, Any]) -> dict[str, list[str]]:
    """APIFlask's ``{"query": {"from": [...]}}``, as ``{"from": [...]}``."""
    errors: dict[str, list[str]] = {}
    for fields in detail.values():  # one level per location: query, json...
        for name, messages in fields.items():
            if isinstance(messages, dict):  # a nested or indexed field
                messages = [str(m) for ms in messages.values() for m in ms]
            errors[name] = [str(message) for message in messages]
    return errors


def handle_error(error: HTTPError) -> Response:
    if error.status_code == HTTPStatus.BAD_REQUEST and isinstance(error.detail, dict):
        body = problem_body(
            error.status_code,
            VALIDATION_DETAIL,
            type=VALIDATION_TYPE,
            title=VALIDATION_TITLE,
            errors=field_errors(error.detail),
        )
    else:
        body = problem_body(error.status_code, str(error.message), **error.extra_data)
    return problem_response(body, error.headers)


def handle_werkzeug_error(error: HTTPException) -> Response:
    """Werkzeug's 404, 405 and 500 (an unexpected exception, logged by Flask)."""
    status = error.code or HTTPStatus.INTERNAL_SERVER_ERROR
    detail = {
        HTTPStatus.NOT_FOUND: NOT_FOUND,
        HTTPStatus.METHOD_NOT_ALLOWED: METHOD_NOT_ALLOWED.format(method=request.method),
        HTTPStatus.INTERNAL_SERVER_ERROR: SERVER_ERROR,
    }.get(HTTPStatus(status), str(error.description))
    headers = {k: v for k, v in error.get_headers() if k.lower() == "allow"}
    if request.path.startswith(PAGES):  # a person with a browser: a page, not JSON
        page = render_template("reports/error.html", status=status, detail=detail)
        return Response(page, status, headers, mimetype="text/html")
    return problem_response(problem_body(status, detail), headers)


def init_app(app: APIFlask) -> None:
    app.error_processor(handle_error)
    # Replaces APIFlask's own handler, which names the error but not what happened.
    app.register_error_handler(HTTPException, handle_werkzeug_error)
