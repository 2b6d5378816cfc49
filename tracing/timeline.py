"""One trace as an indented timeline: which process did what, when, for how long.

Each process appends its spans to ``var/traces/<process>-<pid>.jsonl``
(monolith/core/tracing.py and its copy, chassis/tracing.py). A trace is every span,
in every file, that shares one trace id; a span's parent may be in another file, or
another process's file, when the trace crossed an HTTP call or a message.
"""

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

TRACES_DIR = Path(__file__).resolve().parents[1] / "var" / "traces"
INDENT = "  "


@dataclass(frozen=True)
class Span:
    trace_id: str
    span_id: str
    parent_id: str | None
    service: str  # the process that recorded it: "orders", "orders-worker", ...
    name: str
    start: int  # nanoseconds since the epoch
    end: int
    attributes: dict

    @property
    def duration_ms(self) -> float:
        return (self.end - self.start) / 1e6


def read_spans(directory: Path = TRACES_DIR) -> list[Span]:
    """Every span in ``directory``'s files, oldest first."""
    spans = []
    for path in sorted(Path(directory).glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line a process is still appending: read it next time
            spans.append(
                Span(
                    trace_id=record["trace_id"],
                    span_id=record["span_id"],
                    parent_id=record["parent_id"],
                    service=record["service"],
                    name=record["name"],
                    start=record["start"],
                    end=record["end"],
                    attributes=record.get("attributes", {}),
                )
            )
    return sorted(spans, key=lambda span: span.start)


def trace_of(spans: Iterable[Span], trace_id: str) -> list[Span]:
    return [span for span in spans if span.trace_id == trace_id.lower()]


def newest_trace_id(spans: Iterable[Span]) -> str | None:
    """The trace whose first span (one without a parent) started last."""
    roots = [span for span in spans if span.parent_id is None]
    return max(roots, key=lambda span: span.start).trace_id if roots else None


def timeline(spans: list[Span]) -> list[str]:
    """The lines to print: a heading, then each span under its parent, by start."""
    if not spans:
        return []
    known = {span.span_id for span in spans}
    children: dict[str | None, list[Span]] = defaultdict(list)
    for span in sorted(spans, key=lambda span: span.start):
        # A parent that was never written (a process killed before its batch went
        # out) would hide its children: show them from the top instead.
        parent = span.parent_id if span.parent_id in known else None
        children[parent].append(span)
    first = min(span.start for span in spans)
    last = max(span.end for span in spans)
    processes = sorted({span.service for span in spans})
    lines = [
        f"trace {spans[0].trace_id}: {len(spans)} spans in {len(processes)} "
        f"processes ({', '.join(processes)}), {(last - first) / 1e6:.1f} ms",
        f"{'start ms':>9} {'took ms':>9}  process: span",
    ]
    for depth, span in _walk(children, None, 0):
        offset = (span.start - first) / 1e6
        lines.append(
            f"{offset:9.1f} {span.duration_ms:9.1f}  "
            f"{INDENT * depth}{span.service}: {span.name}"
        )
    return lines


def _walk(
    children: dict[str | None, list[Span]], parent: str | None, depth: int
) -> Iterator[tuple[int, Span]]:
    for span in children.get(parent, []):
        yield depth, span
        yield from _walk(children, span.span_id, depth + 1)
