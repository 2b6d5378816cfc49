"""Fixtures for the contract tests: an HTTP client for the stack, users, staff."""

import httpx
import pytest

from .helpers import StaffTokens, register

# Lines of figures that tests add (test_fuzz.py's request counts), printed at the end.
FUZZ_FIGURES = pytest.StashKey[list[str]]()


@pytest.fixture(scope="session")
def fuzz_figures(pytestconfig) -> list[str]:
    """A list a test appends its figures to; the session's summary prints them."""
    return pytestconfig.stash.setdefault(FUZZ_FIGURES, [])


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    figures = config.stash.get(FUZZ_FIGURES, [])
    if figures:
        terminalreporter.section("fuzzing")
        for line in figures:
            terminalreporter.write_line(line)


@pytest.fixture
def api(stack):
    """An HTTP client for the stack under test; no redirects are followed."""
    with httpx.Client(base_url=stack.base_url, timeout=15) as client:
        yield client


@pytest.fixture
def user(api):
    """A new customer, signed up through the API, with a token pair."""
    return register(api)


@pytest.fixture
def other_user(api):
    return register(api, prefix="other")


@pytest.fixture(scope="session")
def staff_tokens(stack):
    return StaffTokens(stack)


@pytest.fixture
def staff(api, staff_tokens):
    """Authorization headers of a staff user (the catalog's write API)."""
    return staff_tokens.headers(api)
