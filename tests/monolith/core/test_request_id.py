"""Every response carries X-Request-ID and X-Served-By; log lines carry the id."""

import logging
import re
from types import SimpleNamespace

import pytest

from monolith.core.logging import RequestIdFilter
from monolith.core.request_id import current_request_id
from monolith.core.tasks import TASK_HEADER, _attach_request_id, _restore_request_id

HEX_ID = re.compile(r"^[0-9a-f]{32}$")


def test_a_new_id_is_made_when_the_caller_sends_none(client):
    """Without X-Request-ID the server makes one."""
    response = client.get("/healthz")

    assert HEX_ID.match(response["X-Request-ID"])


def test_a_valid_caller_id_is_echoed(client):
    """A caller's plain id comes back unchanged."""
    response = client.get("/healthz", headers={"X-Request-ID": "lab-3.step-2"})

    assert response["X-Request-ID"] == "lab-3.step-2"


@pytest.mark.parametrize("bad", ["has space", "x" * 129, "<script>", "a\tb"])
def test_an_unsafe_caller_id_is_replaced(client, bad):
    """An id that could break a log line is replaced by a fresh one."""
    response = client.get("/healthz", headers={"X-Request-ID": bad})

    assert HEX_ID.match(response["X-Request-ID"])


def test_responses_say_which_side_answered(client, settings):
    """X-Served-By names the stack, as configured."""
    settings.SERVED_BY = "monolith"

    assert client.get("/healthz")["X-Served-By"] == "monolith"


def test_log_records_carry_the_current_request_id():
    """The logging filter stamps each record with the id of the request in flight."""
    record = logging.LogRecord("shop", logging.INFO, __file__, 1, "hello", None, None)
    token = current_request_id.set("abc123")
    try:
        RequestIdFilter().filter(record)
    finally:
        current_request_id.reset(token)

    assert record.request_id == "abc123"


def test_a_queued_task_carries_the_request_id_into_the_worker():
    """The id travels as a message header and is restored while the task runs."""
    headers: dict[str, str] = {}
    token = current_request_id.set("from-the-web")
    try:
        _attach_request_id(headers=headers)
    finally:
        current_request_id.reset(token)
    task = SimpleNamespace(
        request=SimpleNamespace(**{TASK_HEADER: headers[TASK_HEADER]})
    )

    _restore_request_id(task_id="t-1", task=task)

    assert current_request_id.get() == "from-the-web"


def test_djangos_own_error_log_line_carries_the_request_id(client):
    """Django logs a 404 once the middleware chain has answered: the id is still set."""
    seen: list[str] = []
    handler = logging.Handler()
    handler.addFilter(RequestIdFilter())  # as LOGGING's console handler does
    handler.emit = lambda record: seen.append(record.request_id)
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        client.get("/no-such-page/", headers={"X-Request-ID": "lost-page-1"})
    finally:
        logger.removeHandler(handler)

    assert seen == ["lost-page-1"]


def test_the_id_is_forgotten_once_the_response_is_sent(client):
    """A thread that goes on to other work does not log under the last request's id."""
    client.get("/healthz", headers={"X-Request-ID": "done-and-gone"})

    assert current_request_id.get() == "-"
