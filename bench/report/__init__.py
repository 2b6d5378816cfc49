"""The benchmark's report: ``results.json`` drawn as an HTML page, as Markdown, and as a
summary for the terminal.
"""

import json
import sys
from pathlib import Path

from bench.report import (
    comparisons,
    errors,
    fixedrate,
    growth,
    hop,
    html,
    markdown,
    method,
    tables,
    waterfalls,
)
from bench.report import terminal as _terminal
from bench.report.blocks import Report
from bench.report.data import Doc

__all__ = ["build", "redraw", "terminal_summary", "write_reports"]


def build(document: dict) -> Report:
    """Every section, in the order the report shows them."""
    doc = Doc(document)
    sections = [
        tables.targets_section(doc),
        tables.side_by_side(doc),
        comparisons.section(doc),
        waterfalls.section(doc),
        growth.section(doc),
        fixedrate.section(doc),
        hop.section(doc),
        errors.section(doc),
        method.section(doc),
    ]
    return Report(tables.TITLE, tables.facts(doc), tables.banners(doc), sections)


def write_reports(document: dict, folder: Path) -> list[Path]:
    """Write ``report.html`` and ``report.md`` into ``folder``; return their paths."""
    report = build(document)
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / "report.html", folder / "report.md"]
    paths[0].write_text(html.render(report), encoding="utf-8")
    paths[1].write_text(markdown.render(report), encoding="utf-8")
    return paths


def terminal_summary(document: dict) -> str:
    """The scenarios' p50 and throughput side by side, and every target's verdict."""
    return _terminal.summary(document)


def redraw(folder: Path) -> int:
    """``python -m bench --redraw DIR``: the reports again, from DIR/results.json."""
    try:
        document = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        sys.stderr.write(f"[bench] cannot read {folder / 'results.json'}: {error}\n")
        return 1
    paths = write_reports(document, folder)
    sys.stdout.write(terminal_summary(document))
    sys.stdout.write("wrote " + ", ".join(str(p) for p in paths) + "\n")
    return 0
