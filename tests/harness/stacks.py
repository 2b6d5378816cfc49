"""The stacks the black-box suites run against, by name.

A launcher is a context manager ``launch(workdir) -> Stack`` that starts a whole stack
on loopback and stops it on exit. The services stack joins by adding one entry to
``LAUNCHERS``. ``CONTRACT_BASE_URLS="monolith=http://127.0.0.1:8000,..."`` runs the
suites against stacks that are already running instead.
"""

import os
from collections.abc import Callable
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from .databases import postgres_database, sqlite_database
from .monolith import launch_monolith
from .services import launch_services
from .stack import Stack

Launcher = Callable[[Path], AbstractContextManager[Stack]]


def _monolith_sqlite(workdir: Path) -> AbstractContextManager[Stack]:
    return launch_monolith("monolith-sqlite", workdir, sqlite_database(workdir))


def _monolith_postgres(workdir: Path) -> AbstractContextManager[Stack]:
    return launch_monolith("monolith-postgres", workdir, postgres_database())


def _services_sqlite(workdir: Path) -> AbstractContextManager[Stack]:
    return launch_services("services-sqlite", workdir)


LAUNCHERS: dict[str, Launcher] = {
    "monolith-sqlite": _monolith_sqlite,
    "monolith-postgres": _monolith_postgres,
    "services-sqlite": _services_sqlite,
}
# Stacks that need a PostgreSQL server: skipped, with the reason, when none answers.
NEEDS_POSTGRES = {"monolith-postgres"}

# The demo staff user that `seed_demo --with-users` makes, for already-running stacks.
DEFAULT_STAFF = ("admin", "admin-local-only-123")


def running_stacks() -> dict[str, str]:
    """``{name: base_url}`` from CONTRACT_BASE_URLS, or {} to launch our own."""
    stacks = {}
    for item in os.environ.get("CONTRACT_BASE_URLS", "").split(","):
        if not item.strip():
            continue
        name, _, url = item.partition("=")
        if not (name.strip() and url.strip()):
            raise ValueError(f"CONTRACT_BASE_URLS wants name=url pairs, not {item!r}")
        stacks[name.strip()] = url.strip().rstrip("/")
    return stacks


@contextmanager
def attach(name: str, base_url: str):
    """A stack someone else started: nothing to start or stop."""
    yield Stack(
        name=name,
        base_url=base_url,
        staff_username=os.environ.get("CONTRACT_STAFF_USERNAME", DEFAULT_STAFF[0]),
        staff_password=os.environ.get("CONTRACT_STAFF_PASSWORD", DEFAULT_STAFF[1]),
    )
