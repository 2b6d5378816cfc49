"""The runs the comparison is drawn from, and the few figures it keeps of them.

A results file holds every round of every measurement. The record keeps only what the
page shows, with when, where and how each run was made, so that the page can be drawn
again from one small committed file (docs/figures/last-runs.json).
"""

import json
import subprocess
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from bench.report.data import Doc, median, round_ratio, total
from bench.scenarios import SCENARIOS
from chaos.audit import INVARIANTS
from chaos.plan import FULL, QUICK

ROOT = Path(__file__).resolve().parents[2]
BENCH_RESULTS = ROOT / "bench" / "results"
CHAOS_RESULTS = ROOT / "chaos" / "results"
STACKS = ("monolith", "services")
# The figures kept of each side-by-side scenario (bench/results.py names them).
SCENARIO_FIGURES = ("p50", "p99", "throughput", "cpu_per_1000")
# Code size: each side's application code, its tests and migrations left out.
MONOLITH_CODE = ROOT / "monolith"
SERVICES_CODE = ROOT / "extracted_services"
NOT_CODE = {"tests", "migrations"}


# ---------------------------------------------------------------- finding runs


def bench_kind(document: dict) -> str | None:
    """``full``, ``quick``, or None for a run the comparison cannot use: one that
    did not finish, measured stacks it did not start (no CPU or memory figures) or
    left scenarios out."""
    options = document.get("options") or {}
    if not document.get("complete") or document.get("interrupted"):
        return None
    if options.get("attached") or not document.get("measurements"):
        return None
    if set(options.get("scenarios") or []) != set(SCENARIOS):
        return None
    return "quick" if document.get("quick") else "full"


def chaos_kind(document: dict) -> str | None:
    """``full`` or ``quick`` by the plan's size (the seed aside), or None for a run
    of another size or of one stack only."""
    if set(document.get("stacks") or {}) != set(STACKS):
        return None
    plan = {k: v for k, v in (document.get("plan") or {}).items() if k != "seed"}
    for kind, size in (("full", FULL), ("quick", QUICK)):
        if plan == {k: v for k, v in asdict(size).items() if k != "seed"}:
            return kind
    return None


def newest(folder: Path, kind_of) -> Path | None:
    """The newest usable results.json under ``folder``: a full run if there is
    one, else a quick one. Run folders are named by their date and time."""
    found: dict[str, Path] = {}
    for path in sorted(folder.glob("*/results.json"), reverse=True):
        kind = kind_of(json.loads(path.read_text(encoding="utf-8")))
        if kind:
            found.setdefault(kind, path)
    return found.get("full") or found.get("quick")


# ---------------------------------------------------------------- the figures


def where(path: Path) -> str:
    """A results file's folder, relative to the repository when it is inside it."""
    folder = path.parent.resolve()
    return (
        folder.relative_to(ROOT).as_posix()
        if folder.is_relative_to(ROOT)
        else str(folder)
    )


def bench_figures(path: Path) -> dict:
    """What the page shows of a benchmark run: each scenario side by side, the
    memory of each stack, the hop, and the errors."""
    document = json.loads(path.read_text(encoding="utf-8"))
    doc, options, machine = Doc(document), document["options"], document["machine"]
    scenarios = {}
    for name in doc.scenarios():
        pair = {stack: doc.main(name, stack) for stack in STACKS}
        ratio = round_ratio(pair["services"], pair["monolith"], "p50")
        scenarios[name] = {
            **{
                stack: {figure: median(entry, figure) for figure in SCENARIO_FIGURES}
                for stack, entry in pair.items()
            },
            "ratio_p50": ratio["median"] if ratio else None,
        }
    return {
        "run": where(path),
        "kind": bench_kind(document),
        "started_at": document["started_at"],
        "finished_at": document["finished_at"],
        "machine": (
            f"{machine['cpu_model']}, {machine['cpus']} CPUs, "
            f"{machine['memory_gib']} GiB, Python {machine['python']}"
        ),
        "settings": {
            "rounds": options["rounds"],
            "seconds": options["duration"],
            "users": options["users"],
            "products": options["main_size"],
            "database": options["database"],
        },
        "scenarios": scenarios,
        "stacks": {stack: stack_costs(doc, stack) for stack in STACKS},
        "hop": {name: part["median"] for name, part in document["hop"].items()},
    }


def stack_costs(doc: Doc, stack: str) -> dict:
    """A stack's peak memory and process count over its standard measurements, and
    its errors, 5xx answers and oversold items summed over all of them."""
    found = [doc.main(name, stack) for name in doc.scenarios()]
    entries = [entry for entry in found if entry]
    memory = [median(entry, "peak_rss_mb") for entry in entries]
    processes = [
        record["cost"]["processes"]
        for entry in entries
        for record in entry["rounds"]
        if record.get("cost")
    ]
    return {
        "peak_rss_mb": max((m for m in memory if m is not None), default=None),
        "processes": max(processes, default=None),
        **{
            figure: sum(total(entry, figure) or 0 for entry in entries)
            for figure in ("errors", "status_5xx", "oversold")
        },
    }


def chaos_figures(path: Path) -> dict:
    """What the page shows of a chaos run: each stack's invariants and faults."""
    document = json.loads(path.read_text(encoding="utf-8"))
    plan = document["plan"]
    kept = ("orders_accepted", *INVARIANTS, "p99_degraded_ms", "settle_s")
    return {
        "run": where(path),
        "kind": chaos_kind(document),
        "written_at": document["written_at"],
        "machine": f"{document['machine']['system']}, "
        f"Python {document['machine']['python']}",
        "settings": {key: plan[key] for key in ("orders", "users", "seed")},
        "degraded_p99_bound_ms": plan["degraded_p99_ms"],
        "passed": document["passed"],
        "stacks": {
            stack: {
                **{key: figures[key] for key in kept},
                "faults": [fault["what"] for fault in figures["faults"]],
            }
            for stack, figures in document["stacks"].items()
        },
    }


# ---------------------------------------------------------------- measured here


def python_lines(folder: Path) -> int:
    """Non-blank lines of Python under ``folder``, its tests and migrations aside."""
    return sum(
        sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
        for path in folder.rglob("*.py")
        if not NOT_CODE & set(path.relative_to(folder).parts)
    )


def code_size() -> dict:
    """Lines of Python per side, and per part of the services side."""
    parts = sorted(p.parent for p in SERVICES_CODE.glob("*/__init__.py"))
    return {
        "monolith": python_lines(MONOLITH_CODE),
        "services": python_lines(SERVICES_CODE),
        "services_parts": {part.name: python_lines(part) for part in parts},
    }


def processes() -> dict:
    """How many processes each stack runs: compose/Procfile's lines."""
    procfile = (ROOT / "compose" / "Procfile").read_text(encoding="utf-8")
    names = [
        line.partition(":")[0]
        for line in procfile.splitlines()
        if line.strip() and not line.startswith("#")
    ]
    monolith = [name for name in names if name.startswith("monolith")]
    return {"monolith": len(monolith), "services": len(names) - len(monolith)}


def commit() -> str | None:
    """The checkout's commit, short, or None outside a git checkout."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 (git on the PATH)
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return result.stdout.strip()


def record(bench: Path, chaos: Path) -> dict:
    """Everything the page shows, and where it comes from."""
    return {
        "written_by": "python -m bench.compare",
        "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit(),
        "code": code_size(),
        "processes": processes(),
        "bench": bench_figures(bench),
        "chaos": chaos_figures(chaos),
    }
