"""The trace reader: spans the exporter wrote, read back and drawn as a timeline."""

import json
import os

from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.trace import SpanKind

from extracted_services.chassis.request_id import current_request_id
from extracted_services.chassis.tracing import (
    JsonLinesExporter,
    RequestIdStamp,
    process_name,
    tracing_wanted,
)
from tracing.__main__ import main
from tracing.timeline import newest_trace_id, read_spans, timeline, trace_of


def tracer_writing_to(directory, service):
    """A tracer of the test's own (not the process's global one), as a process has."""
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: service}))
    provider.add_span_processor(RequestIdStamp())
    provider.add_span_processor(
        SimpleSpanProcessor(JsonLinesExporter(service, directory))
    )
    return provider.get_tracer("test")


def test_each_process_appends_to_a_file_of_its_own(tmp_path):
    """One JSON object a line, in <process>-<pid>.jsonl: no two processes share one."""
    tracer = tracer_writing_to(tmp_path, "orders")
    token = current_request_id.set("req-1")
    try:
        with tracer.start_as_current_span("POST /api/orders/", kind=SpanKind.SERVER):
            pass
    finally:
        current_request_id.reset(token)

    (path,) = tmp_path.iterdir()
    assert path.name == f"orders-{os.getpid()}.jsonl"
    (record,) = [json.loads(line) for line in path.read_text().splitlines()]
    assert record["service"] == "orders"
    assert record["name"] == "POST /api/orders/"
    assert record["kind"] == "SERVER"
    assert record["parent_id"] is None
    assert record["attributes"] == {"request.id": "req-1"}
    assert len(record["trace_id"]) == 32


def test_a_trace_is_drawn_indented_under_its_parents_across_processes(tmp_path):
    """Spans from two files join on their ids; children are indented, by start."""
    gateway = tracer_writing_to(tmp_path, "gateway")
    orders = tracer_writing_to(tmp_path, "orders")
    with (
        gateway.start_as_current_span("POST /api/orders/") as root,
        orders.start_as_current_span("POST orders/"),
        orders.start_as_current_span("INSERT"),
    ):
        pass
    trace_id = format(root.get_span_context().trace_id, "032x")

    spans = read_spans(tmp_path)
    lines = timeline(trace_of(spans, trace_id))

    assert lines[0].startswith(f"trace {trace_id}: 3 spans in 2 processes")
    assert "(gateway, orders)" in lines[0]
    drawn = [line[21:] for line in lines[2:]]  # past the two figures
    assert drawn == [
        "gateway: POST /api/orders/",
        "  orders: POST orders/",
        "    orders: INSERT",
    ]


def test_the_newest_trace_is_the_one_whose_root_started_last(tmp_path):
    tracer = tracer_writing_to(tmp_path, "gateway")
    with tracer.start_as_current_span("first"):
        pass
    with tracer.start_as_current_span("second") as second:
        pass

    newest = newest_trace_id(read_spans(tmp_path))

    assert newest == format(second.get_span_context().trace_id, "032x")


def test_a_line_still_being_written_is_skipped(tmp_path):
    """A reader may meet a batch half-appended: it reads the whole lines only."""
    tracer = tracer_writing_to(tmp_path, "catalog")
    with tracer.start_as_current_span("GET /api/products/"):
        pass
    (path,) = tmp_path.iterdir()
    with path.open("a") as file:
        file.write('{"trace_id": "ab')

    assert [span.name for span in read_spans(tmp_path)] == ["GET /api/products/"]


def test_the_command_prints_the_last_trace_or_says_there_is_none(tmp_path, capsys):
    assert main(["show", "--last", "--dir", str(tmp_path)]) == 1
    assert "no trace" in capsys.readouterr().err

    tracer = tracer_writing_to(tmp_path, "monolith")
    with tracer.start_as_current_span("GET product-list"):
        pass

    assert main(["show", "--last", "--dir", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "monolith: GET product-list" in printed


def test_a_process_is_named_by_its_role():
    """The web process, the Celery worker, the relay and a stream consumer."""
    assert process_name("orders", ["gunicorn", "x.wsgi", "--workers", "2"]) == "orders"
    assert process_name("orders", ["celery", "--app", "a", "worker"]) == "orders-worker"
    assert process_name("orders", ["manage.py", "relay_outbox"]) == "orders-relay"
    assert (
        process_name("reports", ["flask", "reports", "consume"]) == "reports-consumer"
    )


def test_the_standard_variable_switches_tracing_off_and_on():
    """OTEL_SDK_DISABLED decides; unset, each kind of run has its own default."""
    assert tracing_wanted({"OTEL_SDK_DISABLED": "true"}, default=True) is False
    assert tracing_wanted({"OTEL_SDK_DISABLED": "false"}, default=False) is True
    assert tracing_wanted({}, default=True) is True
    assert tracing_wanted({}, default=False) is False
