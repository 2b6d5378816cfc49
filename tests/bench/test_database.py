"""``--database postgres``: a clear exit where no PostgreSQL answers, and databases
that are made and dropped. Nothing here starts a stack (test_run_postgres.py does)."""

import os
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

import psycopg
import pytest

from bench import databases
from tests.harness.servers import free_port

from .conftest import existing

ROOT = Path(__file__).resolve().parents[2]


def test_no_postgres_answering_is_one_line_and_exit_2(tmp_path):
    """Pointed at a port nobody listens on: exit 2, one line, no results folder."""
    unused = f"postgres://postgres@127.0.0.1:{free_port()}/postgres"
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--database", "postgres",
         "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, "CONTRACT_POSTGRES_URL": unused},
    )  # fmt: skip

    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("[bench] no PostgreSQL answers at 127.0.0.1:")
    assert result.stdout == ""
    assert not out.exists()


def test_sqlite_needs_no_server():
    assert databases.unavailable(databases.SQLITE) is None


def test_a_database_per_service_is_made_then_dropped(postgres):
    """One per service that owns data, each answering; all gone once closed, even
    when the run fails after they were made."""
    before = existing(postgres, "bench_")
    seen: dict[str, object] = {}

    def a_run_that_fails() -> None:
        with ExitStack() as cleanup:
            urls = databases.service_databases(cleanup)
            seen["urls"] = urls
            with psycopg.connect(urls["catalog"]) as conn:
                seen["answer"] = conn.execute("SELECT 1").fetchone()
            seen["made"] = existing(postgres, "bench_") - before
            raise RuntimeError("the run failed")

    with pytest.raises(RuntimeError):
        a_run_that_fails()

    urls = seen["urls"]
    assert isinstance(urls, dict)
    assert set(urls) == set(databases.SERVICE_OWNERS)
    assert urls["reports"].startswith("postgresql+psycopg://")
    assert seen["answer"] == (1,)
    made = seen["made"]
    assert isinstance(made, set)
    assert len(made) == len(databases.SERVICE_OWNERS)
    assert existing(postgres, "bench_") == before


def test_the_report_says_which_database_it_measured(postgres):
    described = databases.described(databases.POSTGRES, "services")

    assert described.startswith("PostgreSQL at ")
    assert "one database per service" in described
    assert databases.described(databases.SQLITE, "monolith").startswith("SQLite")
