"""One order is one trace: from the gateway to the payments worker and back.

Each stack runs as real processes with tracing on, writing spans to a folder of its
own; the test places an order as a customer would and reads that folder, polling
until every process has written its batch (each writes every few seconds).
"""

import re
from http import HTTPStatus

import httpx
import pytest

from tests.contract.helpers import (
    DECLINED_CARD,
    place_order,
    poll,
    register,
    settled_order,
)
from tests.contract.test_card_data import NEEDLES
from tests.harness.databases import sqlite_database
from tests.harness.monolith import launch_monolith
from tests.harness.services import launch_services
from tests.harness.stack import StackOptions
from tracing.timeline import read_spans, trace_of

# Every process of the saga: the web services the order's request crosses, the
# workers that charge it and settle it, and the subscribers to order.paid. Each
# message is sent by the process that wrote it, right after its commit.
SAGA = {
    "gateway",
    "orders",
    "catalog",
    "payments-worker",
    "orders-worker",
    "recommendations-consumer",
    "reports-consumer",
}
# With the send after commit off (OUTBOX_PUBLISH_ON_COMMIT=false), the relays send
# every message: they join the trace too (chassis/outbox.py).
RELAYS = {"orders-relay", "payments-relay"}
SPANS_DEADLINE = 30  # seconds: each process writes its spans every 5 s
FOOTER_TRACE_ID = re.compile(r'data-testid="trace-id">([0-9a-f]{32})<')


def traced(workdir, **env: str) -> StackOptions:
    return StackOptions(
        env={
            "OTEL_SDK_DISABLED": "false",
            "TRACES_DIR": str(workdir / "traces"),
            **env,
        }
    )


@pytest.fixture(scope="module")
def services(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("services-traced")
    with launch_services("services-traced", workdir, traced(workdir)) as stack:
        yield stack, workdir / "traces"


@pytest.fixture(scope="module")
def services_relayed(tmp_path_factory):
    """The services with the relays sending every message."""
    workdir = tmp_path_factory.mktemp("services-relayed")
    options = traced(workdir, OUTBOX_PUBLISH_ON_COMMIT="false")
    with launch_services("services-relayed", workdir, options) as stack:
        yield stack, workdir / "traces"


@pytest.fixture(scope="module")
def monolith(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("monolith-traced")
    database = sqlite_database(workdir)
    with launch_monolith("monolith-traced", workdir, database, traced(workdir)) as s:
        yield s, workdir / "traces"


def answered_trace_id(response: httpx.Response) -> str:
    """The trace id in ``traceresponse: 00-<trace id>-<span id>-<flags>``."""
    return response.headers["traceresponse"].split("-")[1]


def spans_of(traces, trace_id: str, *, processes: set[str], root: bool = False) -> list:
    """The trace's spans, once every one of ``processes`` has written its part
    (and, with ``root``, the span without a parent: a process writes a span when
    it ends, so its first span is written last)."""
    return poll(
        lambda: trace_of(read_spans(traces), trace_id),
        lambda spans: (
            processes <= {span.service for span in spans}
            and (not root or any(span.parent_id is None for span in spans))
        ),
        timeout=SPANS_DEADLINE,
    )


def order_something(stack, **card) -> tuple[httpx.Response, dict]:
    with httpx.Client(base_url=stack.base_url, timeout=10) as client:
        user = register(client)
        product = client.get("/api/products/").json()["results"][0]
        response = place_order(client, user, [(product["id"], 1)], **card)
        assert response.status_code == HTTPStatus.CREATED, response.text
        return response, settled_order(client, user, response.json()["id"])


@pytest.mark.parametrize(
    ("side", "processes"),
    [("services", SAGA), ("services_relayed", SAGA | RELAYS)],
    ids=["sent-on-commit", "relays-only"],
)
def test_an_order_is_one_trace_through_every_process_of_the_saga(
    side, processes, request
):
    """Gateway, orders, catalog, (relays,) workers and subscribers: one trace id,
    and every span carries the order's request id."""
    stack, traces = request.getfixturevalue(side)
    response, order = order_something(stack)
    assert order["status"] == "paid"

    spans = spans_of(
        traces, answered_trace_id(response), processes=processes, root=True
    )

    request_id = response.headers["X-Request-ID"]
    assert {span.attributes.get("request.id") for span in spans} == {request_id}
    assert len([span for span in spans if span.parent_id is None]) == 1


@pytest.mark.parametrize("side", ["services", "monolith"])
def test_no_card_number_is_in_any_trace(side, request):
    """Card data stays with payments: no span name, attribute or event holds a
    number, whether the card is approved or declined (docs/security.md)."""
    stack, traces = request.getfixturevalue(side)
    responses = [
        order_something(stack)[0],
        order_something(stack, card=DECLINED_CARD)[0],
    ]
    processes = SAGA if side == "services" else {"monolith", "monolith-worker"}
    for response in responses:
        spans_of(traces, answered_trace_id(response), processes=processes)

    written = b"".join(
        path.read_bytes() for path in sorted(traces.rglob("*")) if path.is_file()
    )

    assert written  # the spans are where we look
    assert {number for needle, number in NEEDLES.items() if needle in written} == set()


def test_the_monolith_traces_its_web_and_its_worker_as_one(monolith):
    """The order confirmation, sent by the worker, is in the order's trace."""
    stack, traces = monolith
    response, _order = order_something(stack)

    spans = spans_of(
        traces,
        answered_trace_id(response),
        processes={"monolith", "monolith-worker"},
        root=True,
    )

    assert len([span for span in spans if span.parent_id is None]) == 1


@pytest.mark.parametrize("side", ["services", "monolith"])
def test_a_page_shows_its_trace_id_in_the_footer(side, request):
    """The footer's trace id is the trace of the whole page: the gateway's, on the
    services (the storefront renders the page within it)."""
    stack, traces = request.getfixturevalue(side)
    response = httpx.get(f"{stack.base_url}/", timeout=10)
    assert response.status_code == HTTPStatus.OK

    (shown,) = FOOTER_TRACE_ID.findall(response.text)

    assert shown == answered_trace_id(response)
    first = "gateway" if side == "services" else "monolith"
    spans = spans_of(traces, shown, processes={first}, root=True)
    (root,) = [span for span in spans if span.parent_id is None]
    assert root.service == first
