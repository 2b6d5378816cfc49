"""The ``stack`` fixture: every black-box test runs once per stack in ``LAUNCHERS``.

Session-scoped, so each stack starts once and pytest runs all of one stack's tests
before it starts the next.
"""

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
    with launch as started:
        yield started


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed test's report ends with the tails of its stack's server logs."""
    report = yield
    stack = getattr(item, "funcargs", {}).get("stack")
    if report.failed and stack is not None and stack.processes:
        report.sections.append(("stack logs", log_tails(stack.processes, lines=25)))
    return report
