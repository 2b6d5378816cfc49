"""The ``stack`` fixture: every black-box test runs once per stack in ``LAUNCHERS``.

Session-scoped, so each stack starts once and pytest runs all of one stack's tests
before it starts the next. A stack stops right after the last test that uses it,
not at the end of the session: idle, its sixteen or so processes still hold their
memory and poll (about 2 % of a core), beside the tests after it.
"""

from contextlib import ExitStack

import pytest

from .databases import postgres_unavailable
from .processes import log_tails
from .stacks import LAUNCHERS, NEEDS_POSTGRES, attach, running_stacks


def _stack_params() -> list:
    running = running_stacks()
    if running:
        return [pytest.param(name, id=name) for name in running]
    return [
        pytest.param(
            name,
            id=name,
            marks=[pytest.mark.postgres] if name in NEEDS_POSTGRES else [],
        )
        for name in LAUNCHERS
    ]


@pytest.fixture(scope="session", params=_stack_params())
def stack(request, tmp_path_factory):
    """A running stack (its base URL and staff credentials), started for the session."""
    name = request.param
    running = running_stacks()
    if running:
        launch = attach(name, running[name])
    else:
        if name in NEEDS_POSTGRES and (reason := postgres_unavailable()):
            pytest.skip(reason)
        launch = LAUNCHERS[name](tmp_path_factory.mktemp(name))
    with ExitStack() as running:
        _RUNNING[name] = running
        yield running.enter_context(launch)
    _RUNNING.pop(name, None)


# The stacks running now, by name, and the id of the last test to use each.
_RUNNING: dict[str, ExitStack] = {}
_LAST_USE: dict[str, str] = {}


def _stack_of(item: pytest.Item) -> str | None:
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("stack") if callspec else None


def pytest_collection_finish(session):
    """Note each stack's last test, in the order the tests will run.

    Under pytest-xdist a worker runs a subset, in this order; `make test` sends all
    of a stack's tests to one worker (``tests/conftest.py``), so that worker also
    runs its last. Elsewhere a stack not seen to its last test just stops at the end.
    """
    _LAST_USE.clear()
    for item in session.items:
        if name := _stack_of(item):
            _LAST_USE[name] = item.nodeid


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_runtest_teardown(item, nextitem):
    """After a stack's last test, stop the stack."""
    yield
    name = _stack_of(item)
    if name and _LAST_USE.get(name) == item.nodeid and name in _RUNNING:
        _RUNNING.pop(name).close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed test's report ends with the tails of its stack's server logs."""
    report = yield
    stack = getattr(item, "funcargs", {}).get("stack")
    if report.failed and stack is not None and stack.processes:
        report.sections.append(("stack logs", log_tails(stack.processes, lines=25)))
    return report
