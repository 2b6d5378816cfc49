"""Tracing with OpenTelemetry: each process's spans, to a collector or to var/traces/.

Copied on purpose from monolith/core/tracing.py; tests/test_copies.py keeps the two
identical. Plain Python at import (no Django), so FastAPI and Flask services use it too.
"""

import json
import os
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from importlib import import_module
from pathlib import Path

from opentelemetry import propagate, trace
from opentelemetry.context import Context
from opentelemetry.instrumentation.propagators import (
    TraceResponsePropagator,
    set_global_response_propagator,
)
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import ReadableSpan, Span, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    SpanExporter,
    SpanExportResult,
)
from opentelemetry.sdk.trace.sampling import (
    Decision,
    ParentBased,
    Sampler,
    SamplingResult,
)

from .request_id import current_request_id

# Each library's instrumentor, imported only by the processes that name it.
INSTRUMENTORS = {
    "celery": "opentelemetry.instrumentation.celery.CeleryInstrumentor",
    "django": "opentelemetry.instrumentation.django.DjangoInstrumentor",
    "httpx": "opentelemetry.instrumentation.httpx.HTTPXClientInstrumentor",
    "psycopg": "opentelemetry.instrumentation.psycopg.PsycopgInstrumentor",
    "redis": "opentelemetry.instrumentation.redis.RedisInstrumentor",
    "sqlite3": "opentelemetry.instrumentation.sqlite3.SQLite3Instrumentor",
}
# Probes and scrapes come every few seconds: each would be a trace of its own.
UNTRACED_URLS = "healthz,readyz,metrics"
REQUEST_ID = "request.id"  # the attribute every span carries
# A word of a process's command line, and the role it names (process_name).
ROLES = {"worker": "worker", "relay_outbox": "relay", "consume": "consumer"}

_started = threading.Event()
_start_lock = threading.Lock()
_tracer = trace.get_tracer(__name__)


def tracing_wanted(environ: Mapping[str, str], *, default: bool) -> bool:
    """Off when ``OTEL_SDK_DISABLED=true`` (the SDK's own switch), on when it is
    ``false``; unset, ``default`` (on for ``make run``, off for tests)."""
    value = environ.get("OTEL_SDK_DISABLED", "").strip().lower()
    return default if not value else value != "true"


def start_tracing(service: str, *, directory: Path, instrument: Iterable[str]) -> None:
    """Trace this process as ``service`` (``OTEL_SERVICE_NAME`` wins), once.

    Spans go to the OTLP collector at ``OTEL_EXPORTER_OTLP_ENDPOINT`` (Jaeger under
    compose), else to JSON lines in ``directory``, batched off the request's path.
    """
    with _start_lock:
        if _started.is_set():
            return
        _started.set()
    name = os.environ.get("OTEL_SERVICE_NAME") or service
    provider = TracerProvider(
        resource=Resource.create({SERVICE_NAME: name}),
        sampler=ParentBased(root=NoOrphanClientSpans()),
    )
    provider.add_span_processor(RequestIdStamp())
    provider.add_span_processor(BatchSpanProcessor(_exporter(name, directory)))
    trace.set_tracer_provider(provider)
    # `traceresponse` on every answer: the browser, or a test, can read the trace id.
    set_global_response_propagator(TraceResponsePropagator())
    for library in instrument:
        module, _, cls = INSTRUMENTORS[library].rpartition(".")
        instrumentor = getattr(import_module(module), cls)()
        if library == "django":
            instrumentor.instrument(excluded_urls=UNTRACED_URLS)
        else:
            instrumentor.instrument()


def process_name(service: str, argv: Sequence[str]) -> str:
    """What a process's spans are labelled: ``orders`` serves the web, ``orders-worker``
    runs its Celery tasks, ``orders-relay`` publishes its outbox, ``reports-consumer``
    reads the event stream."""
    for command, role in ROLES.items():
        if command in argv:
            return f"{service}-{role}"
    return service


def _exporter(service: str, directory: Path) -> SpanExporter:
    if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        # Imported here: a process that writes to disk never loads protobuf.
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import (
            OTLPSpanExporter,
        )

        return OTLPSpanExporter()  # reads the endpoint from the environment
    return JsonLinesExporter(service, directory)


def current_trace_id() -> str:
    """The trace id of the span in progress, as 32 hex digits; "" when none."""
    context = trace.get_current_span().get_span_context()
    return trace.format_trace_id(context.trace_id) if context.is_valid else ""


def tag_request(request_id: str) -> None:
    """Stamp the request's own span, begun before its request id was known."""
    trace.get_current_span().set_attribute(REQUEST_ID, request_id)


def trace_carrier() -> dict[str, str]:
    """The current trace as W3C headers (``traceparent``), to store with a message."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier


def continue_trace(
    name: str, carrier: Mapping[str, str], *, kind: trace.SpanKind
) -> AbstractContextManager[trace.Span]:
    """A span that carries on the trace in ``carrier`` (a message's stored headers)."""
    parent: Context = propagate.extract(carrier)
    return _tracer.start_as_current_span(name, context=parent, kind=kind)


class NoOrphanClientSpans(Sampler):
    """Keep a client span (a query, a Redis command) only inside a bigger one.

    A worker polling Redis, or a relay its outbox table, would otherwise start a
    one-span trace many times a second. ``ParentBased`` asks this sampler only
    for spans without a parent; the spans of a request follow their root.
    """

    def should_sample(self, parent_context, trace_id, name, kind=None, *args, **kw):
        drop = kind == trace.SpanKind.CLIENT
        return SamplingResult(Decision.DROP if drop else Decision.RECORD_AND_SAMPLE)

    def get_description(self) -> str:
        return "NoOrphanClientSpans"


class RequestIdStamp(SpanProcessor):
    """Stamp every span with the request id, to go from a log line to its trace."""

    def on_start(self, span: Span, parent_context: Context | None = None) -> None:
        span.set_attribute(REQUEST_ID, current_request_id.get())


class JsonLinesExporter(SpanExporter):
    """Append spans to ``<directory>/<service>-<pid>.jsonl``, one JSON object a line.

    One file per process: the gunicorn workers forked from one master never write
    to the same file, and each batch is one append.
    """

    def __init__(self, service: str, directory: Path):
        self.service = service
        self.directory = Path(directory)

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        lines = "".join(json.dumps(_as_record(span)) + "\n" for span in spans)
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{self.service}-{os.getpid()}.jsonl"
        with path.open("a", encoding="utf-8") as file:
            file.write(lines)
        return SpanExportResult.SUCCESS


def _as_record(span: ReadableSpan) -> dict:
    context = span.get_span_context()
    parent = span.parent
    return {
        "trace_id": trace.format_trace_id(context.trace_id) if context else "",
        "span_id": trace.format_span_id(context.span_id) if context else "",
        "parent_id": trace.format_span_id(parent.span_id) if parent else None,
        "service": span.resource.attributes.get(SERVICE_NAME, "?"),
        "name": span.name,
        "kind": span.kind.name,
        "start": span.start_time,  # nanoseconds since the epoch
        "end": span.end_time,
        "status": span.status.status_code.name,
        "attributes": dict(_plain(span.attributes or {})),
    }


def _plain(attributes: Mapping) -> Iterator[tuple[str, object]]:
    for key, value in attributes.items():
        yield key, list(value) if isinstance(value, tuple) else value
