"""``python -m chaos``: the command line of the fault-tolerance lab."""

import argparse
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from tests.harness.processes import StackError

from .plan import FULL, QUICK, STACKS

RESULTS = Path(__file__).resolve().parent / "results"
BAD_USAGE = 2  # argparse's own exit code for a wrong option
INTERRUPTED = 130  # as a shell reports a program stopped by Ctrl-C

DESCRIPTION = """\
Break each stack on purpose while customers order, then check that nothing was lost.

For each stack in turn: start it on loopback (fresh SQLite files, a private Redis that
keeps nothing on disk), sign up customers, restock a few products, and send a steady
stream of orders from several customers at once, each with an Idempotency-Key, retried
on 503 (after Retry-After), on a 409 "key still in use" and when no answer comes, as a
real client would. Meanwhile faults strike on a schedule drawn from --seed:

  services  SIGKILL the payments worker mid-flow (3 times; once with --quick) and
            restart it; SIGSTOP catalog for 10 s and, while placements wait on it,
            SIGKILL the orders web process and restart it; SIGKILL the orders outbox
            relay and restart it; SIGKILL Redis and restart it empty (data lost)
  monolith  SIGKILL its Celery worker and restart it; SIGKILL a gunicorn worker
            mid-request (twice; once with --quick); SIGKILL Redis, restart it empty

A process that exits with no fault on it (a Celery worker may, when its broker comes
back empty) is started again a second later, as `make run`'s supervisor, compose and
Kubernetes would; the table lists each such restart.

Then it waits for the stack to settle and audits it through the API and the databases
(opened read-only). Every invariant must hold: 0 lost, 0 stuck pending, 0 double
charged, 0 payment mismatches, 0 stock mismatches, 0 errors 5xx, 0 hangs, and the p99
of the answers given while a fault was in effect under 3 s. See docs/reliability.md.
"""

EPILOG = """\
examples:
  python -m chaos                      both stacks, 200 orders each (about 6 minutes)
  python -m chaos --quick              40 orders a stack, each fault once (about 3 min)
  python -m chaos --stack services --orders 100 --seed 7

Results go to chaos/results/<date-time>/results.json. The exit code is 0 when every
invariant held on every stack, 1 when one broke, 2 for a bad option.
"""


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text}: must be 1 or more")
    return value


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m chaos",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help=f"a short run: {QUICK.orders} orders over {QUICK.stream_seconds:.0f} s, "
        "each fault once, catalog stopped for "
        f"{QUICK.catalog_stop_seconds:.0f} s",
    )
    p.add_argument(
        "--orders",
        type=_positive,
        metavar="N",
        help=f"orders per stack (default {FULL.orders}; {QUICK.orders} with --quick); "
        "the stream's length grows with it, at about 2 orders a second",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=FULL.seed,
        help="draws the fault times, the orders and their cards (default 1)",
    )
    p.add_argument(
        "--stack",
        choices=[*STACKS, "both"],
        default="both",
        help="which stack to break (default both, the monolith first)",
    )
    p.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="where results.json goes (default chaos/results/<date-time>)",
    )
    p.add_argument(
        "--keep",
        action="store_true",
        help="keep the stacks' working folders (databases, logs) beside results.json",
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    plan = replace(QUICK if args.quick else FULL, seed=args.seed)
    if args.orders:
        # The stream keeps its pace (about 2 orders a second) and never gets shorter
        # than the faults need.
        seconds = max(plan.stream_seconds, args.orders / 2)
        plan = replace(plan, orders=args.orders, stream_seconds=seconds)
    out = args.out or RESULTS / datetime.now().strftime("%Y%m%d-%H%M%S")
    if (out / "results.json").exists():
        print(
            f"[chaos] {out} holds results already: choose another --out",
            file=sys.stderr,
        )
        return BAD_USAGE
    if shutil.which("redis-server") is None:
        print("[chaos] needs redis-server: apt install redis-server", file=sys.stderr)
        return 1

    from .experiment import run_stack  # after parsing: --help stays instant
    from .report import table, write

    stacks = list(STACKS) if args.stack == "both" else [args.stack]
    figures: dict[str, dict] = {}
    began = time.monotonic()
    _interrupt_on_sigterm()
    for name in stacks:
        workdir = _workdir(out, name, keep=args.keep)

        def say(message: str, name: str = name) -> None:
            print(f"[chaos] {name:<8} {message}", flush=True)

        try:
            figures[name] = run_stack(name, plan, workdir, say)
        except StackError as error:  # it did not start: nothing was tested
            print(f"[chaos] {name}: the stack did not start: {error}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:  # the stack's processes are stopped by now
            print(f"[chaos] interrupted: the {name} stack is stopped", file=sys.stderr)
            return INTERRUPTED
        finally:
            if not args.keep:
                shutil.rmtree(workdir, ignore_errors=True)
    path = write(out, plan=plan, stacks=figures)
    print()
    for name in stacks:
        print(table(name, figures[name], plan), end="\n\n")
    failed = {name: f["broken"] for name, f in figures.items() if f["broken"]}
    minutes = (time.monotonic() - began) / 60
    print(f"[chaos] results: {path} ({minutes:.1f} min)")
    for name, names in failed.items():
        print(f"[chaos] {name}: BROKEN {', '.join(names)}")
    if not failed:
        print("[chaos] every invariant held on every stack")
    return 1 if failed else 0


def _interrupt_on_sigterm() -> None:
    """A SIGTERM (``kill``, a CI timeout) ends the run as Ctrl-C does: the
    ``with`` blocks that started the stack unwind and stop every process."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def _workdir(out: Path, name: str, *, keep: bool) -> Path:
    """The stack's files: beside the results with --keep, else a temporary folder."""
    if keep:
        folder = out / name
        folder.mkdir(parents=True)
        return folder
    return Path(tempfile.mkdtemp(prefix=f"chaos-{name}-"))
