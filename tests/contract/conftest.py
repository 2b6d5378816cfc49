"""Fixtures for the contract tests: an HTTP client for the stack, users, staff."""

import httpx
import pytest

from .helpers import StaffTokens, register


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
