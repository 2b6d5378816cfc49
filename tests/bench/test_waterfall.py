"""The waterfalls and the cost of tracing: picking the median trace, keeping it
compact, drawing it; and --tracing both in the plan and the report.

A traced run against real stacks is in test_run.py; here the traces are written by
hand, as the exporter writes them, and the reports come from a made-up document.
"""

import json
import re

import pytest

from bench import waterfall
from bench.cli import config_from, parser
from bench.plan import TRACING_COST, Settings, build_plan
from bench.report import build
from bench.report import html as html_report
from bench.report import markdown as markdown_report
from bench.report.comparisons import TRACING_NOT_MEASURED
from bench.report.waterfalls import NOT_TRACED
from bench.scenarios import SCENARIOS
from tests.bench.sample import WATERFALLS, sample_document
from tracing.timeline import Span

MS = 1_000_000  # nanoseconds


def record(trace: str, span: str, parent, service: str, start_ms, took_ms) -> dict:
    """A span as monolith/core/tracing.py's exporter writes it, its id first."""
    return {
        "trace_id": trace * 32, "span_id": span * 16, "parent_id": parent,
        "service": service, "name": f"{service} work", "kind": "SERVER",
        "start": int(start_ms * MS), "end": int((start_ms + took_ms) * MS),
        "status": "UNSET", "attributes": {"request.id": "r1"},
    }  # fmt: skip


def spans_of(*records: dict) -> list[Span]:
    return [waterfall.as_span(r) for r in records]


def a_trace(trace: str, root_ms: float) -> list[Span]:
    """A request and the call it made to another process."""
    return spans_of(
        record(trace, "a", None, "gateway", 1000, root_ms),
        record(trace, "b", "a" * 16, "orders", 1001, root_ms - 2),
    )


def test_the_median_trace_is_the_one_whose_root_took_the_median_time():
    """Odd count: the middle one; even: the lower of the two middle ones. A trace
    with no root written (its process stopped first) is not a candidate."""
    traces = {t: a_trace(t, ms) for t, ms in [("1", 30), ("2", 10), ("3", 20)]}
    rootless = spans_of(record("4", "c", "f" * 16, "orders", 1000, 20))

    assert waterfall.median_trace({**traces, "4": rootless})[0].trace_id == "3" * 32
    traces["5"] = a_trace("5", 40)
    assert waterfall.median_trace(traces)[0].trace_id == "3" * 32
    assert waterfall.median_trace({"4": rootless}) is None


def test_a_compact_trace_has_each_span_under_its_parent_in_ms_from_the_first():
    spans = spans_of(
        record("1", "a", None, "gateway", 1000, 50),
        record("1", "c", "b" * 16, "payments-worker", 1030, 10),
        record("1", "b", "a" * 16, "orders", 1002, 40),
        record("1", "d", "a" * 16, "gateway", 1045, 1),
    )

    kept = waterfall.compact(spans)

    assert kept["root_ms"] == 50.0
    assert kept["total_ms"] == 50.0
    assert [(s["process"], s["start_ms"], s["depth"]) for s in kept["spans"]] == [
        ("gateway", 0.0, 0),
        ("orders", 2.0, 1),
        ("payments-worker", 30.0, 2),
        ("gateway", 45.0, 1),
    ]
    assert set(kept["spans"][0]) == {
        "process", "name", "start_ms", "duration_ms", "depth",
    }  # fmt: skip


def test_the_folder_is_read_as_it_grows_keeping_only_the_wanted_traces(tmp_path):
    """Lines of other traces are skipped; a line still being written is read once
    it is whole."""
    wanted = json.dumps(record("1", "a", None, "gateway", 0, 5))
    other = json.dumps(record("2", "a", None, "gateway", 0, 5))
    late = json.dumps(record("1", "b", "a" * 16, "orders", 1, 3))
    path = tmp_path / "gateway-41.jsonl"
    path.write_text(f"{wanted}\n{other}\n{late[:30]}")
    folder = waterfall.TraceFolder(tmp_path, {"1" * 32})

    assert folder.read() == 1
    with path.open("a") as file:
        file.write(late[30:] + "\n")
    assert folder.read() == 1
    assert folder.read() == 0
    assert [s.service for s in folder.spans["1" * 32]] == ["gateway", "orders"]
    assert "2" * 32 not in folder.spans


def test_collect_keeps_the_median_trace_of_each_scenario_and_stack(tmp_path):
    """Each (scenario, stack) gets its own median, and how many it was picked from;
    trace ids that never reached the folder are left out."""
    lines = [
        record(t, s, p, "gateway" if p is None else "orders", 0, ms)
        for t, ms in [("1", 10), ("2", 20), ("3", 30)]
        for s, p in [("a", None), ("b", "a" * 16)]
    ]
    (tmp_path / "gateway-1.jsonl").write_text(
        "".join(json.dumps(line) + "\n" for line in lines)
    )
    ids = {
        ("home-page", "services"): ["1" * 32, "2" * 32, "3" * 32, "9" * 32],
        ("time-to-paid", "services"): ["9" * 32],
    }

    found = waterfall.collect(tmp_path, ids, settle=0)

    drawn = found["home-page"]["services"]
    assert (drawn["trace_id"], drawn["traced"], drawn["root_ms"]) == ("2" * 32, 3, 20)
    assert {s["process"] for s in drawn["spans"]} == {"gateway", "orders"}
    assert "time-to-paid" not in found


def test_only_the_standard_measurement_of_a_waterfall_scenario_is_drawn():
    settings = Settings(
        rounds=1, users=8, sweep=(1, 8), sizes=(1000,), scenarios=tuple(SCENARIOS),
        tracing_cost=True,
    )  # fmt: skip
    drawn = {s.key for s in build_plan(settings) if waterfall.drawn(s, settings)}

    assert drawn == {
        f"{scenario}/{stack}/{variant}/8u/1000"
        for scenario in waterfall.SCENARIOS
        for stack in ("monolith", "services")
        for variant in ("default", "traced")
    }


def test_the_waterfalls_are_drawn_as_svg_rows_and_as_markdown_tables():
    """The page has a bar per span, in its process's colour; the Markdown a table
    row per span, indented by depth."""
    report = build(sample_document())
    page = html_report.render(report)
    text = markdown_report.render(report)

    section = re.search(r'<section id="waterfalls">(.*?)</section>', page, re.S)
    assert section
    bars = re.findall(r'<rect class="span"[^>]* fill="(#[0-9a-f]{6})"', section[1])
    spans = [s for each in WATERFALLS.values() for t in each.values()
             for s in t["spans"]]  # fmt: skip
    assert len(bars) == len(spans)
    assert section[1].count("<svg") == 4
    assert "payments-worker: run/payments.charge" in section[1]
    # One colour per process, the same in every waterfall.
    colour = dict(zip([s["process"] for s in spans], bars, strict=True))
    assert len(set(colour.values())) == len(colour)
    assert "| Start (ms) | Took (ms) | Process: span |" in text
    worker = "\N{EM SPACE}" * 5 + "payments-worker: run/payments.charge"
    assert f"| 279.9 | 183.6 | {worker} |" in text


def test_without_traces_the_section_says_how_to_get_them():
    document = sample_document()
    document["waterfalls"] = {}

    text = markdown_report.render(build(document))

    assert NOT_TRACED in text
    assert "`python -m bench --tracing`" in NOT_TRACED
    assert "| Start (ms) |" not in text


def test_tracing_both_measures_a_few_scenarios_traced_on_both_stacks():
    settings = Settings(
        rounds=2, users=8, sweep=(1, 8), sizes=(1000,), scenarios=tuple(SCENARIOS),
        tracing_cost=True,
    )  # fmt: skip
    traced = [s for s in build_plan(settings) if s.variant == "traced"]

    assert {(s.scenario, s.stack) for s in traced} == {
        (name, stack) for name in TRACING_COST for stack in ("monolith", "services")
    }
    assert [s.round for s in traced] == [1] * 8 + [2] * 8
    assert all(s.users == 8 and not s.fixed_rate for s in traced)
    untraced = Settings(**{**settings.__dict__, "tracing_cost": False})
    assert not [s for s in build_plan(untraced) if s.variant == "traced"]


@pytest.mark.parametrize(
    ("args", "tracing", "cost"),
    [([], "off", False), (["--tracing"], "on", False),
     (["--tracing", "both"], "both", True)],
)  # fmt: skip
def test_the_tracing_option(args, tracing, cost):
    """--tracing alone traces everything; --tracing both adds the traced steps."""
    p = parser()
    config = config_from(p.parse_args(["--quick", *args]), p)

    assert (config.tracing, config.settings.tracing_cost) == (tracing, cost)


def test_the_report_shows_what_tracing_costs_on_each_stack():
    """A / B is traced / untraced p50, within each round; without --tracing both,
    one line says how to measure it."""
    page = html_report.render(build(sample_document(tracing_cost=True)))
    document = sample_document(tracing_cost=True)
    rows = [r for r in document["comparisons"] if r["kind"] == "tracing"]

    assert {r["id"] for r in rows} == {
        f"tracing-{name}-{stack}"
        for name in TRACING_COST
        for stack in ("monolith", "services")
    }
    assert all(r["median"] == pytest.approx(1.2, rel=0.15) for r in rows)
    assert "Tracing: what it costs" in page
    assert "floor p50, tracing on / off, monolith" in page
    assert TRACING_NOT_MEASURED not in page
    assert TRACING_NOT_MEASURED in markdown_report.render(build(sample_document()))
