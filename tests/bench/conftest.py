"""Fixtures for the benchmark's tests: a results document made up, nothing run;
the PostgreSQL server the bench's ``--database postgres`` uses, where one answers."""

import psycopg
import pytest

from tests.bench.sample import sample_document as build_sample
from tests.harness.databases import postgres_admin_url, postgres_unavailable


@pytest.fixture
def sample_document() -> dict:
    """A full run's document: 3 rounds, every scenario, one services stack down."""
    return build_sample()


@pytest.fixture
def postgres() -> str:
    """The server's admin URL; the test is skipped, with the reason, where none
    answers."""
    if reason := postgres_unavailable():
        pytest.skip(reason)
    return postgres_admin_url()


def existing(admin_url: str, prefix: str) -> set[str]:
    """The server's databases whose name starts with ``prefix``."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", (f"{prefix}%",)
        ).fetchall()
    return {name for (name,) in rows}
