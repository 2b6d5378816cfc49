"""Where the stacks the bench starts keep their data: SQLite files (the default), or
PostgreSQL databases made for the run and dropped after it (``--database postgres``).

PostgreSQL is found as the contract tests find it (``tests/harness/databases.py``):
``CONTRACT_POSTGRES_URL``, else the local server on 127.0.0.1:5432 as user postgres
with trust auth. Each database is ``CREATE DATABASE bench_<owner>_<random>`` beside
that URL's, and ``DROP ... WITH (FORCE)`` when the run ends, however it ends.

The harness (and psycopg) is imported only when PostgreSQL is asked for, so that
``python -m bench --help`` stays instant.
"""

from contextlib import AbstractContextManager, ExitStack
from urllib.parse import urlsplit

SQLITE, POSTGRES = "sqlite", "postgres"
DATABASES = (SQLITE, POSTGRES)
# The services that own data, each in a database of its own, as in production.
# recommendations is not here: its store is a SQLite file whatever the database.
SERVICE_OWNERS = ("catalog", "orders", "payments", "storefront", "gateway", "reports")
# reports is Flask and SQLAlchemy, which names its driver in the URL's scheme.
SQLALCHEMY_OWNERS = {"reports"}


def unavailable(database: str) -> str | None:
    """Why ``database`` cannot be used, in one line; None when it can."""
    if database != POSTGRES:
        return None
    from tests.harness.databases import postgres_unavailable

    return postgres_unavailable()


def server() -> str:
    """host:port of the PostgreSQL server (never the user or a password)."""
    from tests.harness.databases import postgres_admin_url

    parts = urlsplit(postgres_admin_url())
    return f"{parts.hostname or 'localhost'}:{parts.port or 5432}"


def monolith_database() -> AbstractContextManager[str]:
    """The monolith's database, made on entering and dropped on leaving."""
    from tests.harness.databases import postgres_database

    return postgres_database("bench_monolith")


def service_databases(cleanup: ExitStack) -> dict[str, str]:
    """A fresh PostgreSQL database per service that owns data: ``{service: URL}``.

    Each one is dropped when ``cleanup`` closes; the ones made before a failure too.
    """
    from tests.harness.databases import postgres_database

    urls = {}
    for owner in SERVICE_OWNERS:
        url = cleanup.enter_context(postgres_database(f"bench_{owner}"))
        if owner in SQLALCHEMY_OWNERS:
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        urls[owner] = url
    return urls


def described(database: str, stack: str) -> str:
    """What the report says about a stack's database."""
    if database == POSTGRES:
        where = f"PostgreSQL at {server()}, made for this run and dropped after it"
        if stack == "monolith":
            return f"{where}: one database"
        return (
            f"{where}: one database per service that owns data "
            "(recommendations keeps its SQLite file)"
        )
    if stack == "monolith":
        return "SQLite, one file (WAL)"
    return "SQLite, one file per service that owns data (WAL)"
