"""The command line: refresh the page from the last runs, draw it again, or check it."""

import argparse
import json
import sys
from pathlib import Path

from bench.compare import page, runs

RECORD = runs.ROOT / "docs" / "figures" / "last-runs.json"
PAGE = runs.ROOT / "docs" / "comparison.md"
EPILOG = """\
examples:
  python -m bench.compare            the newest runs on disk -> the record and the page
  python -m bench.compare --check    exit 1 if the page does not show the record
  python -m bench.compare --redraw   draw the page again from the record alone
  python -m bench.compare --bench bench/results/20261123-101500

A full run is used when there is one; a quick run only when there is none. Make them
with `make bench` and `make chaos` (ARGS=--quick for the smoke tests).
"""


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m bench.compare",
        description="Write the figures of the last benchmark and chaos runs into "
        "docs/comparison.md, and keep them in docs/figures/last-runs.json.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    mode = p.add_mutually_exclusive_group()
    mode.add_argument(
        "--check",
        action="store_true",
        help="change nothing: exit 1 if the page's figures differ from the record's",
    )
    mode.add_argument(
        "--redraw", action="store_true", help="draw the page from the record alone"
    )
    p.add_argument("--bench", type=Path, metavar="DIR", help="this benchmark run")
    p.add_argument("--chaos", type=Path, metavar="DIR", help="this chaos run")
    p.add_argument("--record", type=Path, default=RECORD, help=argparse.SUPPRESS)
    p.add_argument("--page", type=Path, default=PAGE, help=argparse.SUPPRESS)
    return p


def shown(path: Path) -> str:
    """A path as the repository names it, when it is inside it."""
    path = path.resolve()
    return (
        path.relative_to(runs.ROOT).as_posix()
        if path.is_relative_to(runs.ROOT)
        else str(path)
    )


def results_file(given: Path | None, folder: Path, kind_of) -> Path | None:
    if given is None:
        return runs.newest(folder, kind_of)
    return given if given.name == "results.json" else given / "results.json"


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.check or args.redraw:
        record = json.loads(args.record.read_text(encoding="utf-8"))
    else:
        bench = results_file(args.bench, runs.BENCH_RESULTS, runs.bench_kind)
        chaos = results_file(args.chaos, runs.CHAOS_RESULTS, runs.chaos_kind)
        if bench is None or chaos is None:
            missing = "python -m bench" if bench is None else "python -m chaos"
            print(f"[compare] no finished run to read: run `{missing}` first.")
            return 1
        record = runs.record(bench, chaos)
        print(
            f"[compare] benchmark: {record['bench']['run']} ({record['bench']['kind']})"
        )
        print(f"[compare] chaos: {record['chaos']['run']} ({record['chaos']['kind']})")
    text = args.page.read_text(encoding="utf-8")
    try:
        drawn = page.replace(text, page.render(record))
    except page.PageError as error:
        print(f"[compare] {shown(args.page)}: {error}", file=sys.stderr)
        return 1
    if args.check:
        if drawn != text:
            print(
                f"[compare] {shown(args.page)} differs from {shown(args.record)}: "
                "python -m bench.compare --redraw draws it again",
                file=sys.stderr,
            )
            return 1
        print(f"[compare] {shown(args.page)} shows {shown(args.record)}")
        return 0
    if not args.redraw:
        args.record.parent.mkdir(parents=True, exist_ok=True)
        args.record.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        print(f"[compare] wrote {shown(args.record)}")
    args.page.write_text(drawn, encoding="utf-8")
    print(f"[compare] wrote the figures of {shown(args.page)}")
    return 0
