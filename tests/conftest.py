"""Shared fixtures for the suites that run under the monolith's test settings.

Each service's own tests live beside it, in ``extracted_services/<name>/tests/``, and
run under that service's settings (``python dev.py test --service orders``), so that a
service, tests included, could leave the repository on its own.
"""

import pytest
from xdist.scheduler import LoadScopeScheduling

from tests.harness.stacks import LAUNCHERS, running_stacks

pytest_plugins = ["tests.harness.fixtures"]


# The tests that start stacks or processes of their own, or run the lab worksheets'
# steps: the longest groups (``group_of``), so they go first, where two workers
# share them out best; the many quick in-process tests fill in after them.
LONG = ("tests/browser/", "tests/contract/", "tests/labs/test_worksheets.py")
LONG += ("tests/labs/test_consumer_catch_up.py",)
# The benchmark's runs: after the long groups, not first. Their quick runs load
# both cores on purpose; measured at the same time, an answers-come-fast invariant
# would measure that load: lab 09's small chaos runs (in the worksheets) and the
# small chaos run that `make test` runs first in its other lane (dev.py).
BENCH_RUNS = (
    "tests/bench/test_run.py",
    "tests/bench/test_interrupted.py",
    "tests/bench/test_run_postgres.py",
)


@pytest.hookimpl(trylast=True)  # after pytest-django's own order, which it keeps
def pytest_collection_modifyitems(items):
    """The long tests first, then the benchmark's runs, then the rest, each in the
    order pytest and pytest-django gave them. Only tests without a database move
    ahead, so the database tests keep the order pytest-django needs."""

    def rank(item) -> int:
        if _uses_database(item):
            return 2
        if item.nodeid.startswith(LONG):
            return 0
        return 1 if item.nodeid.startswith(BENCH_RUNS) else 2

    items.sort(key=rank)


def _uses_database(item) -> bool:
    fixtures = set(getattr(item, "fixturenames", ()))
    in_process = {"db", "transactional_db", "django_db_setup"}
    marked = item.get_closest_marker("django_db") is not None
    return marked or bool(fixtures & in_process)


def group_of(nodeid: str) -> str:
    """The group a test runs in under ``-n 2 --dist loadgroup``: one worker runs a
    group's tests, in order. A test on a stack (its id names one: the session's
    ``stack`` fixture) is grouped by that stack, so each stack starts once, on one
    worker, which stops it after its last test (``tests/harness/fixtures.py``);
    any other test by its module, so that a module's fixtures start once.
    """
    path, _, name = nodeid.partition("::")
    params = name.partition("[")[2].removesuffix("]")
    for stack in running_stacks() or LAUNCHERS:
        if f"-{stack}-" in f"-{params}-":
            return stack
    return path


class GroupScheduling(LoadScopeScheduling):
    """xdist's scheduling by scope, with ``group_of``'s groups as the scopes.

    Not xdist's own ``xdist_group`` marks: pytest 9 no longer lets pytest-xdist 3.8
    put a mark's group into the test's id, which is what its scheduler reads.
    """

    def _split_scope(self, nodeid: str) -> str:
        return group_of(nodeid)


def pytest_xdist_make_scheduler(config, log):
    """``--dist loadgroup`` (as `make test` runs this suite) by ``group_of``."""
    if config.getvalue("dist") == "loadgroup":
        return GroupScheduling(config, log)
    return None
