"""Request ids: accepted or made, echoed, named in every log line, then forgotten."""

import logging
import re
from http import HTTPStatus

import pytest
from django.conf import settings
from django.test import RequestFactory

from extracted_services.chassis.context_processors import served_by
from extracted_services.chassis.logging import RequestIdFilter
from extracted_services.chassis.request_id import HEADER, current_request_id

from .urls import LOGGED

pytestmark = pytest.mark.django_db
FORMAT = settings.LOGGING["formatters"]["plain"]["format"]
FRESH_ID = re.compile(r"^[0-9a-f]{32}$")


class Lines(logging.Handler):
    """A log handler set up like the chassis's console: its filter, its format."""

    def __init__(self):
        super().__init__()
        self.addFilter(RequestIdFilter())
        self.setFormatter(logging.Formatter(FORMAT))
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.fixture
def log_lines():
    handler = Lines()
    logger = logging.getLogger("extracted_services.chassis.tests")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler.lines
    logger.removeHandler(handler)


def test_a_callers_request_id_is_echoed(api_client):
    """A valid X-Request-ID from the caller comes back unchanged."""
    response = api_client.get("/healthz", headers={HEADER: "gw-1234.abc"})

    assert response.status_code == HTTPStatus.OK
    assert response[HEADER] == "gw-1234.abc"


@pytest.mark.parametrize("sent_id", ["", "has spaces", "x" * 129, "new\nline"])
def test_an_unusable_request_id_is_replaced(api_client, sent_id):
    """A missing, too long or oddly spelled id is replaced by a fresh one."""
    response = api_client.get("/healthz", headers={HEADER: sent_id})

    assert FRESH_ID.match(response[HEADER])


def test_each_request_gets_its_own_id(api_client):
    """Two requests without an id get two different ids."""
    first = api_client.get("/healthz")[HEADER]
    second = api_client.get("/healthz")[HEADER]

    assert first != second


def test_responses_name_the_service(api_client):
    """Every answer says which service gave it (X-Served-By)."""
    response = api_client.get("/api/nothing-here/")

    assert response["X-Served-By"] == settings.SERVED_BY


def test_log_lines_carry_the_request_id(api_client, log_lines):
    """A line logged while serving a request names that request's id."""
    api_client.get("/api/log/", headers={HEADER: "trace-me-42"})

    assert any(
        "[trace-me-42] extracted_services.chassis.tests: " + LOGGED in line
        for line in log_lines
    )


def test_the_id_is_forgotten_when_the_request_is_done(api_client):
    """Once the response is sent, the thread's next log lines say "-" again."""
    api_client.get("/healthz", headers={HEADER: "short-lived"})

    assert current_request_id.get() == "-"


def test_the_filter_stamps_records_outside_requests_with_a_dash():
    """Lines from outside any request (a worker starting up) show "-"."""
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)

    assert RequestIdFilter().filter(record)
    assert record.request_id == "-"


def test_pages_get_the_service_name_and_request_id():
    """The footer's context: which service answered, the request's id, and no
    trace id while tracing is off (tests/tracing/ shows one when it is on)."""
    request = RequestFactory().get("/")
    request.request_id = "page-1"

    assert served_by(request) == {
        "served_by": settings.SERVED_BY,
        "request_id": "page-1",
        "trace_id": "",
    }
