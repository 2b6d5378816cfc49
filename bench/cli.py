"""``python -m bench``: the command line of the side-by-side benchmark."""

import argparse
import os
import sys
from datetime import datetime
from pathlib import Path

from bench import databases
from bench.plan import DEMO_PRODUCTS, STACKS, Settings
from bench.scenarios import SCENARIOS

RESULTS = Path(__file__).resolve().parent / "results"
DEMO_STAFF = ("admin", "admin-local-only-123")  # what `make run` seeds (local only)

DESCRIPTION = """\
Measure the monolith and the services stack side by side, in one run.

Both stacks are started on fresh, identically seeded databases (or, with --monolith
and --services, measured where they already run). Every scenario is measured on one
stack, then the other (A B A B ...), for --rounds rounds; the report gives each
figure's median over the rounds and its spread. Results go to bench/results/<time>/:
results.json, report.html (open it in a browser) and report.md.
"""

EPILOG = f"""\
scenarios: {", ".join(SCENARIOS)}

examples:
  python -m bench                      the full run (about 30 minutes on 2 cores)
  python -m bench --quick              a smoke test in under a minute
  python -m bench --database postgres  both stacks on the local PostgreSQL
  python -m bench --tracing both       what tracing costs, and where the time goes
  python -m bench --scenario product-detail --scenario cart-page --rounds 5
  python -m bench --monolith http://127.0.0.1:8000 --services http://127.0.0.1:8100
  python -m bench --redraw bench/results/20261123-101500

Attached stacks (--monolith/--services) are measured over HTTP only: no CPU or
memory figures, no switches, no growing catalogue. The bench signs up customers there,
sets the stock of the first 100 products and places orders; it needs a staff account
(--staff, password in BENCH_STAFF_PASSWORD) and sign-in limits high enough
(AUTH_THROTTLE_RATE=100000/min make run).
"""

QUICK = {"rounds": 1, "duration": 0.3, "warmup": 0.1, "users": 2, "sweep": (2, 4),
         "sizes": (200, 500), "workers": 1}  # fmt: skip
FULL = {"rounds": 3, "duration": 5.0, "warmup": 1.5, "users": 8, "sweep": (1, 8, 32),
        "sizes": (1000, 10000, 100000), "workers": 2}  # fmt: skip


def _numbers(text: str) -> tuple[int, ...]:
    try:
        numbers = tuple(int(part) for part in text.split(","))
    except ValueError:
        message = f"{text!r}: give whole numbers, comma-separated"
        raise argparse.ArgumentTypeError(message) from None
    if not numbers or min(numbers) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: every number must be 1 or more")
    return numbers


def _positive(kind):
    def parse(text: str):
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"{text}: must be more than 0")
        return value

    return parse


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m bench", description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    add = p.add_argument
    add(
        "--quick",
        action="store_true",
        help="a smoke test in under a minute: 1 round of 0.3 s measurements, 2 users "
        "(sweep 2,4), 200 then 500 products, 1 gunicorn worker per web process, one "
        "fixed-rate run; its figures are not comparable",
    )
    add(
        "--duration",
        type=_positive(float),
        metavar="S",
        help=f"seconds measured per measurement (default {FULL['duration']})",
    )
    add(
        "--warmup",
        type=float,
        metavar="S",
        help=f"seconds of load before each measurement (default {FULL['warmup']})",
    )
    add(
        "--rounds",
        type=_positive(int),
        metavar="N",
        help=f"times each figure is measured on each stack (default {FULL['rounds']}; "
        "fewer than 3 makes the medians fragile)",
    )
    add(
        "--users",
        type=_positive(int),
        metavar="N",
        help=f"concurrent users of the standard measurements (default {FULL['users']})",
    )
    add(
        "--sweep",
        type=_numbers,
        metavar="N,N,...",
        help="concurrency levels of the 'how cost grows' part (default 1,8,32)",
    )
    add(
        "--sizes",
        type=_numbers,
        metavar="N,N,...",
        help="catalogue sizes, smallest first; the first is the one every scenario "
        f"uses (default 1000,10000,100000; at least {DEMO_PRODUCTS})",
    )
    add(
        "--scenario",
        action="append",
        choices=list(SCENARIOS),
        metavar="NAME",
        help="measure only this scenario (repeat for several; default: all)",
    )
    add(
        "--out",
        type=Path,
        metavar="DIR",
        help="where results go (default bench/results/<date-time>)",
    )
    add(
        "--database",
        choices=databases.DATABASES,
        default=databases.SQLITE,
        help="where the stacks the bench starts keep their data: a SQLite file per "
        "service (default), or a PostgreSQL database per service, made for the run "
        "and dropped after it, on the server of CONTRACT_POSTGRES_URL (default "
        "postgres://postgres@127.0.0.1:5432/postgres); none answering: exit 2",
    )
    add(
        "--tracing",
        nargs="?",
        const="on",
        default="off",
        choices=("off", "on", "both"),
        help="tracing in every process of the stacks the bench starts, spans in the "
        "--out folder's traces/: off (default); on (--tracing alone), and the report "
        "draws the median trace of time-to-paid and the home page as waterfalls; "
        "both: off, then floor, product detail, home page and time-to-paid again "
        "with it on, each round, for its cost (and the waterfalls)",
    )
    add("--monolith", metavar="URL", help="measure a monolith already running here")
    add(
        "--services",
        metavar="URL",
        help="measure a services stack already running here",
    )
    add(
        "--staff",
        default=DEMO_STAFF[0],
        metavar="USERNAME",
        help="attached stacks: a staff user, to set stock (default admin)",
    )
    add(
        "--workers",
        type=_positive(int),
        metavar="N",
        help="gunicorn workers of the monolith's web process (default 2, --quick "
        "1); each service's web process runs 1 worker of N x --threads threads",
    )
    add(
        "--threads",
        type=_positive(int),
        default=4,
        metavar="N",
        help="threads per monolith worker (default 4)",
    )
    add(
        "--redraw",
        type=Path,
        metavar="DIR",
        help="only draw report.html and report.md again from DIR/results.json",
    )
    return p


def config_from(args: argparse.Namespace, p: argparse.ArgumentParser):
    from bench.runner import Config  # after parsing: --help stays instant

    profile = QUICK if args.quick else FULL

    def pick(name: str):
        """The option as given, else the profile's (quick or full) value."""
        given = getattr(args, name)
        return profile[name] if given is None else given

    sweep, sizes = pick("sweep"), pick("sizes")
    if list(sizes) != sorted(set(sizes)) or sizes[0] < DEMO_PRODUCTS:
        p.error(
            f"--sizes: increasing sizes of {DEMO_PRODUCTS} or more, e.g. 1000,10000"
        )
    if bool(args.monolith) != bool(args.services):
        p.error("--monolith and --services go together: the bench compares two stacks")
    if args.monolith and args.database != databases.SQLITE:
        p.error("--database: attached stacks keep the database they were started on")
    if args.monolith and args.tracing != "off":
        p.error("--tracing: attached stacks trace as they were started")
    attach = (
        {"monolith": args.monolith, "services": args.services} if args.monolith else {}
    )
    chosen = set(args.scenario or SCENARIOS)
    settings = Settings(
        rounds=pick("rounds"), users=pick("users"), sweep=sweep,
        sizes=sizes if not attach else sizes[:1],
        scenarios=tuple(name for name in SCENARIOS if name in chosen),
        stacks=STACKS, switches=not attach,
        fixed_rate=("product-detail",) if args.quick else None,
        tracing_cost=args.tracing == "both",
    )  # fmt: skip
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return Config(
        out=args.out or RESULTS / stamp, settings=settings,
        duration=pick("duration"), warmup=pick("warmup"), quick=args.quick,
        workers=pick("workers"), threads=args.threads,
        accounts=2 if args.quick else 8, open_pool=4 if args.quick else 16,
        scarce_stock=3 if args.quick else 20,
        warm_up_pass=0 if args.quick else 2.0, attach=attach,
        staff=(args.staff, os.environ.get("BENCH_STAFF_PASSWORD", DEMO_STAFF[1])),
        database=args.database, tracing=args.tracing,
    )  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    if args.redraw:
        from bench.report import redraw

        return redraw(args.redraw)
    config = config_from(args, p)
    if config.out.exists():
        p.error(f"--out {config.out} exists already: choose a new folder")
    if problem := databases.unavailable(config.database):
        # One line, and no results folder: nothing was measured.
        print(f"[bench] {problem}", file=sys.stderr)
        return 2
    if config.settings.rounds < 3 and not config.quick:
        print(
            "[bench] fewer than 3 rounds: each median rests on too few values",
            file=sys.stderr,
        )
    from bench.runner import run

    return run(config)
