"""The reports service's application factory: ``create_app()``.

Served by gunicorn (``gunicorn 'extracted_services.reports.app:create_app()'``),
its commands run by ``flask --app extracted_services.reports.app ...``:
``db upgrade`` (Flask-Migrate), ``reports consume`` and ``reports rebuild``.

The ETL pipeline, module by module: consumer.py extracts order events from the
stream, pipeline.py transforms them into sales lines and loads them (models.py);
selectors.py, api.py and pages.py answer from what was loaded. A query against a
subscription: the monolith's reports app asks its own orders tables instead. No
browsable API (that is DRF's): the API answers JSON or CSV whatever the Accept header
asks (docs/services.md, "Not Django").
"""

from pathlib import Path
from typing import Any

from apiflask import APIFlask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from . import api, observability, operations, pages, problems
from .cli import reports_cli
from .config import Config
from .extensions import db, migrate
from .schemas import ReportsProblem, ReportsValidationProblem

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_TIMEOUT = 20  # seconds a writer waits for the lock before it fails


def create_app(overrides: dict[str, Any] | None = None) -> APIFlask:
    """A configured app: settings from the environment, then ``overrides`` (tests)."""
    observability.configure_logging()
    app = APIFlask(
        __name__,
        title="Reports service: sales reports",
        version="1.0.0",
        spec_path="/openapi.json",
        docs_path=None,  # Swagger UI is the gateway's, offline, for the whole API
    )
    app.json.sort_keys = False  # type: ignore[attr-defined]  # the contract's order
    app.config.from_object(Config())
    app.config["VALIDATION_ERROR_SCHEMA"] = ReportsValidationProblem
    app.config["HTTP_ERROR_SCHEMA"] = ReportsProblem
    app.config.update(overrides or {})
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = _engine_options(app.config)
    # Behind the gateway: links (a page's "next") name the address the client used.
    # Flask types wsgi_app as a method; wrapping it in middleware is the documented way.
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS))
    observability.init_app(app)
    problems.init_app(app)
    app.register_blueprint(api.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(operations.bp)
    app.cli.add_command(reports_cli)
    app.spec_processor(_problem_media_type)
    return app


def _problem_media_type(spec: dict[Any, Any] | str) -> dict[Any, Any] | str:
    """Every error answer is application/problem+json (APIFlask says JSON)."""
    if isinstance(spec, str):  # only asked for as a dict here; never a YAML text
        return spec
    for path_item in spec.get("paths", {}).values():
        for operation in path_item.values():
            for status, answer in operation.get("responses", {}).items():
                content = answer.get("content", {})
                if str(status).startswith(("4", "5")) and "application/json" in content:
                    content["application/problem+json"] = content.pop(
                        "application/json"
                    )
    return spec


def _engine_options(config: dict[str, Any]) -> dict[str, Any]:
    if not config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return {"pool_pre_ping": True}
    return {"connect_args": {"timeout": SQLITE_TIMEOUT}}


@event.listens_for(Engine, "connect")
def _sqlite_connect(dbapi_connection: Any, connection_record: Any) -> None:
    """SQLite as the monolith runs it: WAL, and transactions we begin ourselves."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    dbapi_connection.isolation_level = None  # SQLAlchemy's BEGIN, below, not pysqlite's
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection: Any) -> None:
    """BEGIN IMMEDIATE: a writer takes the lock at once, so it queues instead of
    failing half-way when another writer (the consumer, a rebuild) got there first."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
