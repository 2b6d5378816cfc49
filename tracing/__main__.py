"""``python -m tracing show <trace-id>`` or ``python -m tracing show --last``.

The trace id is in every page's footer and in each answer's ``traceresponse``
header (``00-<trace id>-<span id>-<flags>``). docs/tracing.md shows how to read one.
"""

import argparse
import sys
from pathlib import Path

from .timeline import TRACES_DIR, newest_trace_id, read_spans, timeline, trace_of


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tracing")
    commands = parser.add_subparsers(dest="command", required=True)
    show = commands.add_parser("show", help="print one trace as a timeline")
    which = show.add_mutually_exclusive_group(required=True)
    which.add_argument("trace_id", nargs="?", help="32 hex digits")
    which.add_argument("--last", action="store_true", help="the newest trace")
    show.add_argument("--dir", type=Path, default=TRACES_DIR, help=str(TRACES_DIR))
    args = parser.parse_args(argv)

    spans = read_spans(args.dir)
    trace_id = newest_trace_id(spans) if args.last else args.trace_id
    found = trace_of(spans, trace_id) if trace_id else []
    if not found:
        print(f"no trace {trace_id or ''} in {args.dir}", file=sys.stderr)
        return 1
    print("\n".join(timeline(found)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
