"""A fresh, throwaway database per stack: a SQLite file, or a PostgreSQL database."""

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

# The maintenance database of a local server with trust auth; CONTRACT_POSTGRES_URL
# points elsewhere (any database on the server: new ones are created beside it).
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def postgres_admin_url() -> str:
    return os.environ.get("CONTRACT_POSTGRES_URL", DEFAULT_POSTGRES_URL)


def postgres_unavailable() -> str | None:
    """Why no PostgreSQL can be used, in one line, or None when one answers."""
    url = postgres_admin_url()
    try:
        with psycopg.connect(url, connect_timeout=2):
            return None
    except psycopg.Error:
        return f"no PostgreSQL answers at {_redacted(url)} (see CONTRACT_POSTGRES_URL)"


@contextmanager
def sqlite_database(workdir: Path) -> Iterator[str]:
    """A SQLite file in the stack's own directory; it goes with the directory."""
    yield f"sqlite:///{workdir / 'db.sqlite3'}"


@contextmanager
def postgres_database(prefix: str = "contract") -> Iterator[str]:
    """``CREATE DATABASE <prefix>_<random>``, yield its URL, drop it afterwards."""
    admin_url = postgres_admin_url()
    name = f"{prefix}_{secrets.token_hex(4)}"
    _execute(admin_url, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}"))
    finally:
        # FORCE (PostgreSQL 13+) ends connections a killed process may have left.
        _execute(
            admin_url,
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)
            ),
        )


def _execute(url: str, statement: sql.Composable) -> None:
    # CREATE/DROP DATABASE cannot run inside a transaction block.
    with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
        conn.execute(statement)


def _redacted(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{host}{port}"
