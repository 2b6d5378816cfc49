"""Start one stack for the lab: a Redis of its own, then the harness's launcher.

tests/harness starts the stacks exactly as for the contract suite; the lab only adds a
private ``redis-server`` that keeps nothing on disk (so that restarting it loses its
data, as the machine's and the compose file's would) and shorter recovery clocks.
"""

from collections.abc import Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.harness.databases import sqlite_database
from tests.harness.monolith import launch_monolith
from tests.harness.processes import Process
from tests.harness.servers import redis_server
from tests.harness.services import launch_services
from tests.harness.stack import Stack, StackOptions

from .plan import RECOVERY_ENV


@dataclass(frozen=True)
class ChaosStack:
    """A running stack and what the faults and the audit need to reach into it.

    ``processes`` holds every process by its harness name (``orders``,
    ``payments-worker``, ``gunicorn``...) and ``redis``; ``databases`` the SQLite
    file that holds each kind of data (on the monolith, one file holds all three).
    """

    name: str
    base_url: str
    staff: tuple[str, str]
    processes: dict[str, Process]
    web_urls: dict[str, str]
    databases: dict[str, Path]


def _launch(
    name: str, workdir: Path, options: StackOptions
) -> AbstractContextManager[Stack]:
    if name == "monolith":
        database = sqlite_database(workdir)
        return launch_monolith(f"chaos-{name}", workdir, database, options)
    return launch_services(f"chaos-{name}", workdir, options)


def _databases(name: str, workdir: Path) -> dict[str, Path]:
    if name == "monolith":
        one = workdir / "db.sqlite3"  # tests/harness/databases.py: sqlite_database
        return {"orders": one, "payments": one, "catalog": one}
    return {
        kind: workdir / f"{kind}.sqlite3" for kind in ("orders", "payments", "catalog")
    }


@contextmanager
def started_stack(name: str, workdir: Path) -> Iterator[ChaosStack]:
    """Start ``name`` (monolith or services) in ``workdir``; stop it all on exit."""
    with ExitStack() as cleanup:
        redis, redis_url = redis_server("redis", workdir)
        # Registered first, so it stops last: the launchers tidy their keys in it.
        cleanup.callback(redis.stop)
        options = StackOptions(
            throttled_door=False, redis_url=redis_url, env=RECOVERY_ENV
        )
        stack = cleanup.enter_context(_launch(name, workdir, options))
        processes = {process.name: process for process in stack.processes}
        yield ChaosStack(
            name=name,
            base_url=stack.base_url,
            staff=(stack.staff_username, stack.staff_password),
            processes={**processes, "redis": redis},
            web_urls=dict(stack.web_urls),
            databases=_databases(name, workdir),
        )
