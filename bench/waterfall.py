"""Waterfalls: for time to paid and the home page, the median trace of each stack.

When the stacks trace (``--tracing``, or the traced steps of ``--tracing both``), the
load generator notes the trace id of each measured request (``note_trace``: for time
to paid, the order's POST, whose trace goes on through the outbox and Celery to the
payments worker and back). After the last measurement the bench reads those traces
from the run's ``traces/`` folder, picks the one whose root span took the median
time, and keeps a compact copy in results.json: ``--redraw`` needs no traces folder.
"""

import json
import re
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from bench.plan import Settings, Step
from tracing.timeline import Span

SCENARIOS = ("time-to-paid", "home-page")
VARIANTS = ("default", "traced")  # whichever of the two the run traced
# Every process writes its spans every 5 s (OpenTelemetry's batch delay): a trace is
# whole once no span of it has come for longer than that.
SETTLE = 6.0  # seconds
DEADLINE = 60.0
POLL = 0.5
# The exporter writes the trace id first (monolith/core/tracing.py): a line of
# another trace is skipped without parsing its JSON, the bulk of a big folder.
TRACE_ID = re.compile(rb'\{"trace_id": "([0-9a-f]{32})"')


def drawn(step: Step, settings: Settings) -> bool:
    """Whether a measurement's traces are candidates: the standard one (closed,
    --users, main size) of a waterfall scenario, as `make run` runs it."""
    return (
        step.scenario in SCENARIOS
        and step.phase == "main"
        and not step.fixed_rate
        and step.users == settings.users
        and step.products == settings.sizes[0]
        and step.variant in VARIANTS
    )


class TraceFolder:
    """The spans of some traces, read from a folder of JSON-lines files as they
    grow: each read takes only the lines written since the last one."""

    def __init__(self, directory: Path, trace_ids: set[str]):
        self.directory, self.trace_ids = Path(directory), trace_ids
        self.offsets: dict[Path, int] = {}
        self.spans: dict[str, list[Span]] = defaultdict(list)

    def read(self) -> int:
        """Read what every file gained; return how many wanted spans came."""
        found = 0
        for path in sorted(self.directory.glob("*.jsonl")):
            for line in self._new_lines(path):
                match = TRACE_ID.match(line)
                if match and match.group(1).decode() in self.trace_ids:
                    span = as_span(json.loads(line))
                    self.spans[span.trace_id].append(span)
                    found += 1
        return found

    def _new_lines(self, path: Path) -> Iterator[bytes]:
        offset = self.offsets.get(path, 0)
        with path.open("rb") as file:
            file.seek(offset)
            for line in file:
                if not line.endswith(b"\n"):
                    break  # a batch still being written: read it next time
                offset += len(line)
                self.offsets[path] = offset
                yield line

    def read_until_settled(self, *, settle=SETTLE, deadline=DEADLINE) -> None:
        """Read until no wanted span has come for ``settle`` seconds (or until the
        deadline: a process that died leaves its traces short, not the run stuck)."""
        now = time.monotonic()
        end, quiet_since = now + deadline, now
        while (now := time.monotonic()) < end:
            if self.read():
                quiet_since = now
            elif now - quiet_since >= settle:
                return
            time.sleep(POLL)


def as_span(record: dict) -> Span:
    fields = ("trace_id", "span_id", "parent_id", "service", "name", "start", "end")
    return Span(**{f: record[f] for f in fields}, attributes={})


def root_of(spans: list[Span]) -> Span | None:
    """The trace's first span: the request the load generator sent."""
    roots = [span for span in spans if span.parent_id is None]
    return min(roots, key=lambda span: span.start) if roots else None


def median_trace(traces: dict[str, list[Span]]) -> list[Span] | None:
    """The trace whose root took the median time (the lower of the middle two)."""
    timed = []
    for trace_id, spans in traces.items():
        if (root := root_of(spans)) is not None:
            timed.append((root.duration_ms, trace_id))
    if not timed:
        return None
    _duration, trace_id = sorted(timed)[(len(timed) - 1) // 2]
    return traces[trace_id]


def compact(spans: list[Span]) -> dict:
    """What results.json keeps of a trace: each span under its parent, by start
    (as ``python -m tracing show`` prints them), its times in ms from the first."""
    root = root_of(spans)
    first = min(span.start for span in spans)
    last = max(span.end for span in spans)
    return {
        "trace_id": spans[0].trace_id,
        "root_ms": round(root.duration_ms, 2) if root else None,
        "total_ms": round((last - first) / 1e6, 2),
        "spans": [
            {
                "process": span.service,
                "name": span.name,
                "start_ms": round((span.start - first) / 1e6, 2),
                "duration_ms": round(span.duration_ms, 2),
                "depth": depth,
            }
            for depth, span in tree(spans)
        ],
    }


def tree(spans: list[Span]) -> list[tuple[int, Span]]:
    """Depth-first, children by start; a span whose parent was never written
    (a process stopped before its batch went out) is shown from the top."""
    known = {span.span_id for span in spans}
    children: dict[str | None, list[Span]] = defaultdict(list)
    for span in sorted(spans, key=lambda span: span.start):
        children[span.parent_id if span.parent_id in known else None].append(span)
    ordered: list[tuple[int, Span]] = []

    def walk(parent: str | None, depth: int) -> None:
        for span in children.get(parent, []):
            ordered.append((depth, span))
            walk(span.span_id, depth + 1)

    walk(None, 0)
    return ordered


def collect(
    directory: Path, trace_ids: dict[tuple[str, str], list[str]], *, settle=SETTLE
) -> dict:
    """For each (scenario, stack), the median of its traced requests' traces:
    ``{scenario: {stack: compact trace, with "traced": how many it was picked
    from}}``. A scenario whose traces never reached the folder is left out."""
    folder = TraceFolder(directory, {t for ids in trace_ids.values() for t in ids})
    folder.read_until_settled(settle=settle)
    waterfalls: dict[str, dict] = {}
    for (scenario, stack), ids in sorted(trace_ids.items()):
        found = {t: folder.spans[t] for t in ids if folder.spans.get(t)}
        if picked := median_trace(found):
            traced = {"traced": len(found), **compact(picked)}
            waterfalls.setdefault(scenario, {})[stack] = traced
    return waterfalls
