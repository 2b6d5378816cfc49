"""One benchmark run: start (or attach to) both stacks, prepare them, measure every
step of the plan, and write the results and reports, whatever happens on the way.

Ctrl-C (or SIGTERM) stops the measuring, writes what was measured so far, marked
incomplete, and stops every process the run started.
"""

import contextlib
import os
import secrets
import signal
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx

from bench import hop, machine, waterfall
from bench.costs import CostMeter
from bench.driver import LoadGenerator
from bench.plan import VARIANTS, Settings, Step, build_plan
from bench.progress import Progress
from bench.report import terminal_summary, write_reports
from bench.results import Results
from bench.scenarios import SCENARIOS, SESSION_WEIGHTS
from bench.shopdata import SetupError, ShopClient, prepare
from bench.stacks import (
    BenchStack,
    attached_stack,
    hello_server,
    stack_sizing,
    started_stacks,
)


@dataclass(frozen=True)
class Config:
    """Everything the command line decided (``bench/cli.py``)."""

    out: Path
    settings: Settings
    duration: float
    warmup: float
    quick: bool
    workers: int
    threads: int
    accounts: int  # customer accounts per stack
    open_pool: int  # users that serve a fixed-rate run's due requests
    scarce_stock: int  # the order rush's scarce product starts with this many
    warm_up_pass: float  # seconds per scenario before the first round; 0: none
    attach: dict[str, str]  # stack name -> URL, for stacks already running
    staff: tuple[str, str]  # for attached stacks: a staff account (restocking)
    fixed_rate_share: float = 0.5  # of the slower stack's closed-model throughput
    database: str = "sqlite"  # or "postgres": where the stacks started here keep data
    # The stacks started here: "off", "on" (every request traced), or "both" (off,
    # and a few scenarios again with it on: plan.TRACING_COST).
    tracing: str = "off"


def run(config: Config) -> int:
    """The whole run; returns the exit status (130 when interrupted)."""
    run_id = secrets.token_hex(4)
    config.out.mkdir(parents=True, exist_ok=False)
    plan = build_plan(config.settings)
    progress = Progress(len(plan))
    results = Results(_meta(config), config.settings.rounds)
    interrupted = finished = False
    progress.say(f"{len(plan)} measurements; results go to {config.out}")
    try:
        with _interrupt_on_signals(), ExitStack() as cleanup:
            # Started first: it imports locust while the stacks start.
            env = {**os.environ, "BENCH_RUN": run_id}
            loadgen = LoadGenerator(config.out / "loadgen.log", env)
            cleanup.callback(loadgen.close)
            stacks = _stacks(config, cleanup, run_id, progress)
            session = Session(config, stacks, results, progress, run_id, loadgen)
            if hop.SCENARIO in config.settings.scenarios and not config.attach:
                # Sized as each service is: the hop's parts differ only in code.
                workers, threads = stack_sizing(config.workers, config.threads)[
                    "services"
                ]
                session.hop_urls = {
                    "hello": cleanup.enter_context(
                        hello_server(config.out, workers=workers, threads=threads)
                    ),
                    **stacks["services"].web_urls,
                }  # fmt: skip
            cleanup.callback(session.close)
            session.prepare()
            session.measure(plan)
            session.draw_waterfalls()
        finished = True
    except KeyboardInterrupt:
        interrupted = True
        progress.say("interrupted: every process this run started is stopped")
    finally:
        results.meta["finished_at"] = _now()
        results.meta["interrupted"] = interrupted
        # Complete only if every measurement ran: not on Ctrl-C, nor on an error
        # (which is raised on after this report of what was measured before it).
        results.complete = finished
        document = results.write(config.out)
        reports = write_reports(document, config.out)
    print(terminal_summary(document))
    progress.say(
        "wrote " + ", ".join(str(p) for p in [config.out / "results.json", *reports])
    )
    return 130 if interrupted else 0


class Session:
    """The stacks, the load generator and the data of one run, and its measuring."""

    def __init__(self, config, stacks, results, progress, run_id, loadgen):
        self.config, self.stacks, self.results = config, stacks, results
        self.progress, self.run_id, self.loadgen = progress, run_id, loadgen
        self.clients = {n: ShopClient(s.base_url, s.staff) for n, s in stacks.items()}
        self.data: dict[str, dict] = {}
        self.products = config.settings.sizes[0]
        # The hop scenario's servers: "hello", and each services process's address.
        self.hop_urls: dict[str, str] = {}
        # (scenario, stack) -> the trace ids of its measured requests, when traced.
        self.trace_ids: dict[tuple[str, str], list[str]] = defaultdict(list)

    def close(self) -> None:
        for client in self.clients.values():
            client.close()

    def prepare(self) -> None:
        """Accounts, stock and words on each stack; then a warm-up pass."""
        problems = {}

        def prepare_one(name: str) -> None:
            try:
                self.data[name] = prepare(
                    self.clients[name],
                    accounts=self.config.accounts,
                    run_id=self.run_id,
                )
            except (SetupError, httpx.HTTPError) as error:
                problems[name] = str(error)

        # Both at once: signing up customers is mostly the servers' password hashing.
        with ThreadPoolExecutor(max_workers=len(self.clients)) as pool:
            list(pool.map(prepare_one, self.clients))
        if len(problems) == len(self.clients):
            raise SystemExit(f"[bench] no stack could be prepared: {problems}")
        for name, problem in problems.items():
            # Measure it anyway, with the other stack's data: its errors get counted.
            warning = f"the {name} stack could not be prepared ({problem})"
            self.results.meta["warnings"].append(warning)
            self.progress.say(warning)
            self.data[name] = next(iter(self.data.values()))
        self.results.meta["stacks"] = {
            name: {**stack.description, "base_url": stack.base_url,
                   "data": {"products": self.data[name]["products"],
                            "accounts": self.config.accounts}}
            for name, stack in self.stacks.items()
        }  # fmt: skip
        if self.config.warm_up_pass:
            self.progress.say("warming up both stacks")
            for name in self.config.settings.scenarios:
                if not SCENARIOS[name].side_by_side:
                    continue  # the hop's parts are single round trips: no warm-up
                for stack in self.config.settings.stacks:
                    self._load(stack, name, self.config.settings.users, None,
                               self.config.warm_up_pass, "warm-up")  # fmt: skip

    def measure(self, plan: list[Step]) -> None:
        for index, step in enumerate(plan, start=1):
            self._configure(step)
            self.progress.begin(index, step)
            result = self._measure(step)
            self.results.add(step, result)
            self.progress.end(step, result)
            if index % 10 == 0:  # a partial results.json, for the curious
                self.results.write(self.config.out)

    def draw_waterfalls(self) -> None:
        """The median trace of each waterfall scenario on each stack, when traced."""
        if not self.trace_ids:
            return
        self.progress.say("reading the traces, once every process has written them")
        found = waterfall.collect(self.config.out / "traces", self.trace_ids)
        self.results.waterfalls = found

    def _configure(self, step: Step) -> None:
        # A hop step's "stack" is its part; it measures the services as they run.
        name = "services" if step.phase == "hop" else step.stack
        stack = self.stacks[name]
        if stack.variant != step.variant and stack.started_here:
            label = VARIANTS[step.variant].label
            self.progress.say(f"{name}: {label} (restarting)")
            stack.switch(step.variant)
        if step.products > self.products:
            self.progress.say(f"growing both catalogues to {step.products:,} products")
            for each in self.stacks.values():
                each.grow_catalogue(step.products)
            self.products = step.products

    def _measure(self, step: Step) -> dict:
        if step.phase == "hop":
            return self._measure_hop(step)
        stack, client = self.stacks[step.stack], self.clients[step.stack]
        scenario, data = SCENARIOS[step.scenario], self.data[step.stack]
        rate = self._rate(step) if step.fixed_rate else None
        watched = [*data["product_ids"], data["scarce_id"]]
        before = (
            _safe(lambda: client.stock(watched)) if scenario.touches_stock else None
        )
        if step.scenario == "order-rush":
            _safe(lambda: client.set_stock(data["scarce_id"], self.config.scarce_stock))
            if before is not None:
                before[data["scarce_id"]] = self.config.scarce_stock
        users = self.config.open_pool if rate else step.users
        meter = CostMeter(stack.pids) if stack.started_here else None
        seed = f"{step.scenario}-{users}-{step.products}"  # the same on both stacks
        result = self._load(step.stack, step.scenario, users, rate,
                            self.config.duration, seed, meter)  # fmt: skip
        if before is not None:
            after = _safe(lambda: client.stock(watched))
            result["stock"] = stock_check(before, after, result["accepted"])
        # Kept apart from the round's figures: thousands of ids, for the waterfalls.
        trace_ids = result.pop("trace_ids", [])
        if waterfall.drawn(step, self.config.settings):
            self.trace_ids[(step.scenario, step.stack)] += trace_ids
        result["started_at"] = _now()
        return result

    def _measure_hop(self, step: Step) -> dict:
        """One part of the hop scenario: its server, its path, one user, no costs."""
        part = hop.PARTS[step.stack]
        target = (self.hop_urls[part.server], hop.data_for(part))
        result = self._load(
            step.stack, step.scenario, step.users, None, self.config.duration,
            f"hop-{part.name}", target=target,
        )  # fmt: skip
        result["started_at"] = _now()
        return result

    def _load(
        self, stack, scenario, users, rate, duration, seed, meter=None, target=None
    ) -> dict:
        """One measurement by the load generator. ``target``: (base URL, data) for a
        step that is not a stack's (the hop's parts); else the stack's own."""
        base_url, data = target or (self.stacks[stack].base_url, self.data[stack])
        command = {
            "scenario": scenario, "base_url": base_url,
            "users": users, "rate": rate, "warmup": self.config.warmup,
            "duration": duration, "data": data, "seed": seed,
        }  # fmt: skip
        marks = {}

        def on_event(event: dict) -> None:
            if event["event"] == "started":
                marks["loadgen"] = self.loadgen.cpu_seconds()
                if meter:
                    meter.start()
            elif event["event"] == "window-closed":
                marks["loadgen"] = self.loadgen.cpu_seconds() - marks["loadgen"]
                marks["cost"] = meter.stop() if meter else None
            self.progress.event(event)

        result = self.loadgen.measure(command, on_event)
        cost = marks.get("cost")
        if cost is not None:
            requests = max(result["requests"], 1)
            cost["cpu_per_1000"] = round(cost["cpu_seconds"] / requests * 1000, 3)
            cost["loadgen_cpu_seconds"] = round(marks["loadgen"], 3)
        result["cost"] = cost
        return result

    def _rate(self, step: Step) -> float:
        """A share of the slower stack's closed-model throughput, this round."""
        measured = []
        for stack in self.config.settings.stacks:
            closed = Step(step.round, step.phase, step.scenario, stack, step.users,
                          step.products, step.variant)  # fmt: skip
            value = self.results.value(closed.key, "throughput", step.round)
            if value:
                measured.append(value)
        slowest = min(measured) if measured else 20.0  # nothing answered: a token load
        return round(max(slowest * self.config.fixed_rate_share, 1.0), 1)


def stock_check(before: dict | None, after: dict | None, accepted: dict) -> dict | None:
    """Oversold: more accepted than there was, or a stock below zero. Drift: stock
    that moved other than by what the orders accepted took."""
    if before is None or after is None:
        return None
    taken = {int(pk): qty for pk, qty in accepted.items()}
    oversold = sum(max(0, qty - before.get(pk, 0)) for pk, qty in taken.items())
    oversold += sum(1 for stock in after.values() if stock < 0)
    drift = sum(abs(after[pk] - (before[pk] - taken.get(pk, 0)))
                for pk in before if pk in after)  # fmt: skip
    return {"checked": len(after), "oversold": oversold, "drift": drift}


def _safe(read):
    """A stock read or write that may fail when the stack is down: None then."""
    try:
        return read()
    except (SetupError, httpx.HTTPError):
        return None


def _stacks(config: Config, cleanup: ExitStack, run_id: str, progress) -> dict:
    if config.attach:
        progress.say(
            "measuring the running stacks at " + ", ".join(config.attach.values())
        )
        return {
            n: attached_stack(n, url, config.staff) for n, url in config.attach.items()
        }
    where = "PostgreSQL" if config.database == "postgres" else "SQLite"
    progress.say(f"starting both stacks on fresh {where} databases (about 20 s)")
    stacks: dict[str, BenchStack] = cleanup.enter_context(
        started_stacks(
            config.out, products=config.settings.sizes[0], workers=config.workers,
            threads=config.threads, env={"BENCH_RUN": run_id, **_tracing(config)},
            database=config.database,
        )
    )  # fmt: skip
    return stacks


@contextlib.contextmanager
def _interrupt_on_signals() -> Iterator[None]:
    """Ctrl-C, SIGTERM and SIGHUP all end the run the same way, so the cleanup runs.

    SIGINT is set too: a shell script that starts the bench in the background hands
    it SIGINT ignored, and `kill -INT` must stop it all the same.
    """

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    stops = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {sig: signal.signal(sig, interrupt) for sig in stops}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _meta(config: Config) -> dict:
    s = config.settings
    return {
        "started_at": _now(), "finished_at": None, "quick": config.quick,
        "interrupted": False, "warnings": [],
        "options": {
            "duration": config.duration, "warmup": config.warmup, "rounds": s.rounds,
            "users": s.users, "sweep": list(s.sweep), "sizes": list(s.sizes),
            "main_size": s.sizes[0], "scenarios": list(s.scenarios),
            "fixed_rate_share": config.fixed_rate_share, "open_pool": config.open_pool,
            "workers": config.workers, "threads": config.threads,
            "attached": bool(config.attach),
            # What was measured: "sqlite" or "postgres" (None: attached, unknown).
            "database": None if config.attach else config.database,
            "tracing": None if config.attach else config.tracing,
        },
        "machine": machine.describe(),
        "stacks": {},
        "scenarios": {
            name: {"title": sc.title, "what": sc.what, "kind": sc.kind,
                   "figure": sc.figure,
                   **({"weights": SESSION_WEIGHTS} if name == "shop-session" else {})}
            for name, sc in SCENARIOS.items() if name in s.scenarios
        },
        "variants": {name: variant.label for name, variant in VARIANTS.items()},
    }  # fmt: skip


def _tracing(config: Config) -> dict[str, str]:
    """Tracing on or off in every process, whatever the shell's environment says.

    The spans' folder is set either way: the "traced" variant (--tracing both)
    only turns tracing on.
    """
    disabled = "false" if config.tracing == "on" else "true"
    return {"OTEL_SDK_DISABLED": disabled, "TRACES_DIR": str(config.out / "traces")}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
