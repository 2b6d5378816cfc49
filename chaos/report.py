"""The verdict: a table per stack on the terminal, and results.json for the record."""

import json
import platform
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from .audit import INVARIANTS
from .plan import Plan

ROWS = (*INVARIANTS, "p99_degraded_ms")


def table(name: str, figures: dict, plan: Plan) -> str:
    """A stack's figures, one invariant a row, and its fault timeline below."""
    broken = set(figures["broken"])
    lines = [
        f"{name}: {figures['orders_wanted']} orders, {figures['orders_accepted']} "
        f"accepted, {figures['orders_rejected']} refused, "
        f"{figures['orders_abandoned']} abandoned; {figures['requests']} requests; "
        f"settled in {figures['settle_s']} s",
        f"  {'invariant':<20}{'value':>10}  verdict",
    ]
    for row in ROWS:
        value = figures[row]
        shown = "-" if value is None else f"{value:,}"
        verdict = "BROKEN" if row in broken else "ok"
        if row == "p99_degraded_ms":
            bound, answers = plan.degraded_p99_ms, figures["degraded_answers"]
            verdict += f" (< {bound:.0f} ms, {answers} answers)"
        lines.append(f"  {row:<20}{shown:>10}  {verdict}")
    if "orders_accepted" in broken:
        lines.append("  orders_accepted            0  BROKEN (nothing was tested)")
    lines.append("  faults:")
    for fault in figures["faults"]:
        began = "never" if fault["began_s"] is None else f"{fault['began_s']:6.1f} s"
        down = "" if fault["down_s"] is None else f"  back after {fault['down_s']} s"
        note = f"  [{fault['note']}]" if fault["note"] else ""
        lines.append(f"    {began}  {fault['what']}{down}{note}")
    restarts = figures.get("restarts", [])
    if restarts:
        lines.append("  exited with no fault on them, restarted by the supervisor:")
    for restart in restarts:
        lines.append(
            f"    {restart['at_s']:6.1f} s  {restart['target']} "
            f"(exit {restart['exit_code']}): {restart['last_line'][:100]}"
        )
    return "\n".join(lines)


def write(folder: Path, *, plan: Plan, stacks: dict[str, dict]) -> Path:
    """results.json: the plan, then per stack its figures and fault timeline."""
    folder.mkdir(parents=True, exist_ok=True)
    document = {
        "schema": 1,
        "written_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "system": platform.platform()},
        "plan": asdict(plan),
        "passed": all(not figures["broken"] for figures in stacks.values()),
        "stacks": stacks,
    }
    path = folder / "results.json"
    path.write_text(json.dumps(document, indent=2, default=str) + "\n")
    return path
