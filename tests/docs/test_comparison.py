"""docs/comparison.md shows the figures of its record, and the record those of its runs.

The results here are small documents made in each test, in the shape that
``python -m bench`` and ``python -m chaos`` write (bench/results.py, chaos/report.py).
"""

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from bench.compare import page, runs
from bench.compare.cli import PAGE, RECORD, main
from bench.scenarios import SCENARIOS
from chaos.audit import INVARIANTS
from chaos.plan import FULL, QUICK

SIDE_BY_SIDE = [name for name, scenario in SCENARIOS.items() if scenario.side_by_side]
TEMPLATE = f"# Comparison\n\nProse stays.\n\n{page.START}\nold\n{page.END}\n\nAfter.\n"


def stat(value: float) -> dict:
    return {"median": value, "min": value, "max": value, "values": [value]}


def measurement(scenario: str, stack: str, *, p50: float, users: int = 8) -> dict:
    """One standard measurement: ``p50`` ms, 100 req/s, 2 CPU s per 1,000."""
    return {
        "key": f"{scenario}/{stack}/default/{users}u/1000",
        "scenario": scenario,
        "stack": stack,
        "rounds": [
            {"round": 1, "cost": {"processes": 5 if stack == "monolith" else 20}}
        ],
        "summary": {
            "p50": stat(p50),
            "p99": stat(p50 * 4),
            "throughput": stat(100.0),
            "cpu_per_1000": stat(2.0),
            "peak_rss_mb": stat(500.0 if stack == "monolith" else 1700.0),
            "errors": 0,
            "status_5xx": 0,
            "oversold": 0,
        },
    }


def bench_results(*, quick: bool = False, complete: bool = True) -> dict:
    """A run in which every scenario takes 10 ms on the monolith, 15 on the services."""
    measurements = [
        measurement(name, stack, p50=10.0 if stack == "monolith" else 15.0)
        for name in SIDE_BY_SIDE
        for stack in runs.STACKS
    ]
    return {
        "schema": 1,
        "complete": complete,
        "interrupted": False,
        "quick": quick,
        "started_at": "2026-11-23T10:00:00+00:00",
        "finished_at": "2026-11-23T10:24:00+00:00",
        "options": {
            "duration": 5.0,
            "rounds": 1,
            "users": 8,
            "main_size": 1000,
            "database": "sqlite",
            "attached": False,
            "scenarios": list(SCENARIOS),
        },
        "machine": {
            "cpu_model": "Test CPU",
            "cpus": 2,
            "memory_gib": 8,
            "python": "3.11",
        },
        "scenarios": {name: {"title": name} for name in SCENARIOS},
        "measurements": measurements,
        "hop": {name: stat(2.0) for name in ("django", "hop", "gateway")},
    }


def chaos_results(*, plan=QUICK) -> dict:
    def stack(faults: list[str]) -> dict:
        return {
            "orders_accepted": 40,
            **dict.fromkeys(INVARIANTS, 0),
            "p99_degraded_ms": 800.0,
            "settle_s": 1.5,
            "faults": [{"what": what} for what in faults],
        }

    return {
        "schema": 1,
        "written_at": "2026-11-23T11:00:00+00:00",
        "machine": {"python": "3.11", "system": "Linux"},
        "plan": asdict(plan),
        "passed": True,
        "stacks": {
            "monolith": stack(["SIGKILL celery"]),
            "services": stack(["SIGSTOP catalog", "SIGKILL orders-relay"]),
        },
    }


def write_run(folder: Path, name: str, document: dict) -> Path:
    path = folder / name / "results.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(document))
    return path.parent


@pytest.fixture
def drawn(tmp_path) -> tuple[str, dict]:
    """The page and record the command writes from one benchmark and one chaos run."""
    bench = write_run(tmp_path / "bench", "20261123-100000", bench_results())
    chaos = write_run(tmp_path / "chaos", "20261123-110000", chaos_results())
    record, page_path = tmp_path / "last-runs.json", tmp_path / "comparison.md"
    page_path.write_text(TEMPLATE)
    argv = ["--bench", str(bench), "--chaos", str(chaos)]

    assert main([*argv, "--record", str(record), "--page", str(page_path)]) == 0
    return page_path.read_text(), json.loads(record.read_text())


def test_the_page_shows_the_committed_record():
    """`python -m bench.compare --check` passes on the page as committed."""
    assert main(["--check"]) == 0


def test_a_figure_edited_by_hand_fails_the_check(tmp_path):
    """A page whose figures differ from the record's fails the check."""
    text = PAGE.read_text()
    block = text[text.index(page.START) : text.index(page.END)]
    edited = tmp_path / "comparison.md"
    edited.write_text(text.replace(block, block.replace("| 0 |", "| 1 |", 1)))

    assert main(["--check", "--page", str(edited), "--record", str(RECORD)]) == 1


def test_the_tables_are_drawn_from_the_results(drawn):
    """Each figure of the runs is in the page, between the markers only."""
    text, record = drawn

    assert text.startswith("# Comparison\n\nProse stays.\n\n<!-- figures:start -->")
    assert text.endswith("<!-- figures:end -->\n\nAfter.\n")
    assert (
        "| product-list | 10.0 | 15.0 | 1.50\N{MULTIPLICATION SIGN} | 40.0 | 60.0 |"
        in text
    )
    assert "| peak memory, all processes (MB) | 500 | 1,700 |" in text
    assert "| orders stuck `pending` | 0 | 0 |" in text
    assert "- services: SIGSTOP catalog; SIGKILL orders-relay." in text
    words = " ".join(text.split())  # the sources are a wrapped paragraph
    assert "**benchmark**: a full run" in words
    assert "**chaos**: a quick run" in words  # QUICK's plan
    assert record["bench"]["scenarios"]["search"]["ratio_p50"] == 1.5
    assert record["code"]["monolith"] > 0  # counted there and then


def test_the_record_alone_draws_the_same_page(drawn, tmp_path):
    """--check reads no results: the record is enough to draw the page again."""
    text, record = drawn
    (tmp_path / "again.md").write_text(text)
    (tmp_path / "record.json").write_text(json.dumps(record))
    argv = [
        "--page",
        str(tmp_path / "again.md"),
        "--record",
        str(tmp_path / "record.json"),
    ]

    assert main(["--check", *argv]) == 0


def test_a_full_run_is_preferred_to_a_newer_quick_run(tmp_path):
    """A newer quick run (or one that did not finish) does not replace a full run."""
    full = write_run(tmp_path, "20261123-100000", bench_results())
    write_run(tmp_path, "20261124-100000", bench_results(quick=True))
    write_run(tmp_path, "20261125-100000", bench_results(complete=False))

    assert runs.newest(tmp_path, runs.bench_kind) == full / "results.json"


def test_a_quick_run_is_used_when_there_is_no_full_run(tmp_path):
    """The first record of a fresh checkout can come from quick runs."""
    write_run(tmp_path, "20261123-100000", chaos_results(plan=QUICK))
    quick = write_run(tmp_path, "20261124-100000", chaos_results(plan=QUICK))

    assert runs.newest(tmp_path, runs.chaos_kind) == quick / "results.json"
    assert runs.chaos_kind(chaos_results(plan=FULL)) == "full"


def test_a_page_without_markers_is_left_alone(tmp_path):
    """No markers, no write: the command says what is missing and fails."""
    lost = tmp_path / "comparison.md"
    lost.write_text("# Comparison\n")

    assert main(["--redraw", "--page", str(lost), "--record", str(RECORD)]) == 1
    assert lost.read_text() == "# Comparison\n"
