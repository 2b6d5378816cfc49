"""The two stacks under test: started here, or found running (``--monolith URL``).

Started here, each stack gets a fresh database per process that owns data (SQLite
files, or PostgreSQL databases with ``--database postgres``: ``bench/databases.py``),
seeded identically (``seed_demo --products N``), a Redis of its own (so its cost can be
measured), every gunicorn the same workers and threads, and each project's local
settings with DEBUG off. ``tests/harness`` starts them, exactly as for the contract
tests; the benchmark only chooses other options.
"""

import os
import shutil
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from bench import databases
from bench.plan import DEMO_PRODUCTS, VARIANTS
from tests.harness.databases import sqlite_database
from tests.harness.monolith import launch_monolith
from tests.harness.processes import (
    Process,
    StackError,
    run_step,
    stop_all,
    wait_until,
)
from tests.harness.servers import ROOT, ReadyProbe, free_port, gunicorn, redis_server
from tests.harness.services import launch_services
from tests.harness.stack import Stack, StackOptions

# Sign-in and sign-up are rate-limited per client, and every simulated user comes
# from 127.0.0.1: the bench lifts the limit on the stacks it starts.
AUTH_THROTTLE_RATE = "1000000/min"
RESTART_TIMEOUT = 60
# Which process owns the products, and its manage.py, on each stack.
CATALOG_OWNER = {
    "monolith": ("gunicorn", "manage.py"),
    "services": ("catalog", "extracted_services/catalog/manage.py"),
}


@dataclass
class BenchStack:
    """A stack as the bench sees it; ``processes`` is empty when it was running."""

    name: str
    base_url: str
    staff: tuple[str, str]
    processes: dict[str, Process] = field(default_factory=dict)
    web_urls: dict[str, str] = field(default_factory=dict)
    description: dict = field(default_factory=dict)
    variant: str = "default"
    # Each process's environment as the stack started it: every variant is a
    # change to it (``switch``).
    base_env: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def started_here(self) -> bool:
        return bool(self.processes)

    def servers(self) -> list[Process]:
        """Every process but Redis, as it runs now (after any switch)."""
        return [p for name, p in self.processes.items() if name != "redis"]

    def stop_servers(self) -> None:
        """Stop every process but Redis, as they run at that moment."""
        stop_all(self.servers())

    def pids(self) -> list[int]:
        """Every process's group leader; the cost meter adds their children."""
        return [p.popen.pid for p in self.processes.values() if p.alive()]

    def switch(self, variant: str) -> None:
        """Restart the processes whose environment differs in ``variant``."""
        if variant == self.variant or not self.started_here:
            return
        wanted = {
            name: {**self.base_env[name], **VARIANTS[variant].env_of(name)}
            for name in self.base_env
        }
        changed = [name for name in wanted if self.processes[name].env != wanted[name]]
        # How far each log went: a relaunched process writes on in the same file.
        marks = {name: self.processes[name].log_mark() for name in changed}
        for name in changed:  # all at once: their shutdowns overlap
            self.processes[name].terminate()
        for name in changed:
            self.processes[name] = self.processes[name].relaunch(wanted[name])
        for name in changed:
            self._wait_ready(name, marks[name])
        self.variant = variant

    def _wait_ready(self, name: str, log_mark: int) -> None:
        """A web process answers its /readyz; a Celery worker logs " ready." anew;
        a relay or a consumer has nothing to wait for."""
        process = self.processes[name]
        if name in self.web_urls:
            probe = ReadyProbe(f"{self.web_urls[name]}/readyz")
            wait_until(
                probe,
                timeout=RESTART_TIMEOUT,
                what=partial(last_answer, probe),
                watch=[process],
            )
        elif Path(process.argv[0]).name == "celery":
            wait_until(
                partial(process.logged_since, log_mark, " ready."),
                timeout=RESTART_TIMEOUT,
                what=f"{name}: the Celery worker",
                watch=[process],
            )

    def grow_catalogue(self, products: int) -> None:
        """Add generated products until the catalogue holds ``products`` in all."""
        owner, script = CATALOG_OWNER[self.name]
        process = self.processes[owner]
        generated = str(products - DEMO_PRODUCTS)
        argv = [sys.executable, script, "seed_demo", "--products", generated]
        log = process.log.with_name("grow.log")
        run_step(argv, env=process.env, cwd=ROOT, log=log)


def process_row(argv: list[str]) -> dict:
    """A process's role and size, read from its command line."""

    def option(name: str, default: int) -> int:
        return int(argv[argv.index(name) + 1]) if name in argv else default

    program = Path(argv[0]).name
    if program == "gunicorn":
        return {
            "role": "web (WSGI)",
            "workers": option("--workers", 1),
            "threads": option("--threads", 1),
        }
    if program == "uvicorn":
        return {"role": "web (ASGI)", "workers": option("--workers", 1)}
    if program == "celery":
        return {"role": "worker", "concurrency": option("--concurrency", 1)}
    if program == "redis-server":
        return {"role": "redis"}
    if "relay_outbox" in argv:
        return {"role": "relay"}
    if "consume" in argv or any(part.endswith(".consumer") for part in argv):
        return {"role": "event consumer"}  # reports' and recommendations'
    return {"role": program}


def last_answer(probe: ReadyProbe) -> str:
    """Why a restarted stack is not ready yet: what its /readyz said last."""
    return f"{probe.url} answered {probe.last}"


def _from_harness(name: str, stack: Stack, redis: Process, database: str) -> BenchStack:
    processes = {process.name: process for process in stack.processes}
    processes["redis"] = redis
    return BenchStack(
        name=name,
        base_url=stack.base_url,
        staff=(stack.staff_username, stack.staff_password),
        processes=processes,
        web_urls=dict(stack.web_urls),
        description=describe(name, processes, database),
        base_env={n: dict(p.env) for n, p in processes.items() if n != "redis"},
    )


def describe(
    name: str, processes: dict[str, Process], database: str = databases.SQLITE
) -> dict:
    """What the report prints about a stack: settings and every process, each
    sized as its own command line says (a service's web process, the gateway's
    accounts door and the monolith's are sized differently)."""
    described = [
        {"name": process_name, **process_row(process.argv)}
        for process_name, process in processes.items()
    ]
    settings = (
        "monolith.settings.local" if name == "monolith" else "<service>.settings.local"
    )
    return {
        "started_by_bench": True,
        "settings": f"{settings}, DEBUG off, sign-in rate limit lifted",
        "database": databases.described(database, name),
        "redis": "a private redis-server of its own",
        "processes": described,
    }


def stack_sizing(workers: int, threads: int) -> dict[str, tuple[int, int]]:
    """Each stack's gunicorn workers and threads per web process, for ``--workers``
    and ``--threads``.

    The monolith is one web process: ``workers`` of ``threads`` threads (by default
    two workers, one per core). The services are seven web processes on the same
    cores: a second worker in each would add seven interpreters, about 45 MB each,
    and no core to run them on. So each service gets one worker with as many threads
    as the monolith has in all: the same requests in flight, half the processes.
    """
    return {"monolith": (workers, threads), "services": (1, workers * threads)}


@contextmanager
def started_stacks(
    run_dir: Path,
    *,
    products: int,
    workers: int,
    threads: int,
    env: dict[str, str],
    database: str = databases.SQLITE,
) -> Iterator[dict[str, BenchStack]]:
    """Start both stacks at once (each on its own Redis); stop everything on exit.

    ``database`` "postgres": every database is made here first and dropped last, after
    every process has stopped (the ExitStack unwinds in reverse), on Ctrl-C too.
    """
    if shutil.which("redis-server") is None:
        raise StackError(
            "the benchmark starts a redis-server per stack, and none is installed: "
            "apt install redis-server (or brew install redis)"
        )
    with ExitStack() as cleanup:
        if database == databases.POSTGRES:
            monolith_db = databases.monolith_database()
            service_dbs = databases.service_databases(cleanup)
        else:
            monolith_db, service_dbs = None, {}
        launchers = {}
        sizing = stack_sizing(workers, threads)
        for name in ("monolith", "services"):
            workdir = run_dir / name
            workdir.mkdir()
            redis, redis_url = redis_server("redis", workdir)
            cleanup.callback(redis.stop)
            options = StackOptions(
                settings="local",
                workers=sizing[name][0],
                threads=sizing[name][1],
                throttled_door=False,
                products=products - DEMO_PRODUCTS,
                redis_url=redis_url,
                env={"AUTH_THROTTLE_RATE": AUTH_THROTTLE_RATE, **env},
                databases=service_dbs if name == "services" else {},
            )
            if name == "monolith":
                # launch_monolith enters (makes) and leaves (drops) it itself.
                database_cm = monolith_db or sqlite_database(workdir)
                launcher = launch_monolith(
                    f"bench-{name}", workdir, database_cm, options
                )
            else:
                launcher = launch_services(f"bench-{name}", workdir, options)
            launchers[name] = (launcher, redis)
        started = _enter_together(cleanup, {n: m for n, (m, _) in launchers.items()})
        stacks = {
            name: _from_harness(name, started[name], launchers[name][1], database)
            for name in launchers
        }
        # A switch relaunches processes the launchers do not know: stop those too
        # (not Redis: the launchers still tidy their keys there, then it stops last).
        for stack in stacks.values():
            cleanup.callback(stack.stop_servers)
        yield stacks


def _enter_together(cleanup: ExitStack, managers: dict) -> dict[str, Stack]:
    """Enter context managers in parallel threads; each one entered is left on exit,
    even if another failed or Ctrl-C came while they started."""
    pool = ThreadPoolExecutor(max_workers=len(managers))
    futures = {
        name: pool.submit(manager.__enter__) for name, manager in managers.items()
    }
    entered, failure = {}, None
    try:
        wait(futures.values())
    finally:
        for name, future in futures.items():
            try:
                entered[name] = future.result()
            except Exception as error:
                failure = failure or error
                continue
            cleanup.push(managers[name])
        pool.shutdown()
    if failure is not None:
        raise failure
    return entered


def attached_stack(name: str, base_url: str, staff: tuple[str, str]) -> BenchStack:
    """A stack someone else started: measured over HTTP only (no CPU or memory)."""
    return BenchStack(
        name=name,
        base_url=base_url.rstrip("/"),
        staff=staff,
        description={
            "started_by_bench": False,
            "settings": "as started by whoever runs it",
            "database": "unknown (attached)",
            "redis": "unknown (attached)",
            "processes": [],
        },
    )


@contextmanager
def hello_server(run_dir: Path, *, workers: int, threads: int) -> Iterator[str]:
    """``bench/hello.py`` under the stacks' gunicorn command, config, workers and
    threads (the hop scenario's bare round trip); yields its URL, stops it on exit."""
    workdir = run_dir / "hello"
    workdir.mkdir()
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = gunicorn(
        "hello", "bench.hello", port, env, workdir, workers=workers, threads=threads
    )
    try:
        url = f"http://127.0.0.1:{port}"
        probe = ReadyProbe(f"{url}/readyz")
        wait_until(
            probe,
            timeout=RESTART_TIMEOUT,
            what=partial(last_answer, probe),
            watch=[process],
        )
        yield url
    finally:
        process.stop()
