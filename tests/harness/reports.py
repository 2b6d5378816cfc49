"""Launch the reports service (Flask) for a services stack: two processes.

Its schema first (`flask db upgrade`, Flask-Migrate), then the web process under
gunicorn and the consumer that loads the stack's order events as sales lines, both
on the service's own SQLite file. Not Django: no settings module, no manage.py.
"""

import sys
from pathlib import Path

from .processes import Process, run_step
from .servers import ROOT, command, fresh_dir, gunicorn
from .templates import migrated

NAME = "reports"
APP = "extracted_services.reports.app"
# The consumer reclaims a dead consumer's entries after this long (the default is 30).
CLAIM_IDLE_SECONDS = "5"


def reports_processes(
    env: dict[str, str], port: int, workdir: Path, database_url: str | None = None
) -> list[Process]:
    """Migrate, then the web process on ``port`` and the consumer, given the stack's
    shared env (its Redis, event stream, JWT key and GATEWAY_URL). ``database_url``
    (SQLAlchemy's form, e.g. postgresql+psycopg://...): None, its own SQLite file."""
    own = {
        **env,
        "REPORTS_DATABASE_URL": database_url
        or f"sqlite:///{workdir / f'{NAME}.sqlite3'}",
        "REPORTS_CLAIM_IDLE_SECONDS": CLAIM_IDLE_SECONDS,
        "PROMETHEUS_MULTIPROC_DIR": str(fresh_dir(workdir / f"prometheus-{NAME}")),
    }
    own.pop("DJANGO_SETTINGS_MODULE", None)
    flask = [sys.executable, "-m", "flask", "--app", APP]

    def upgrade(url: str) -> None:
        env = {**own, "REPORTS_DATABASE_URL": url}
        log = workdir / "prepare.log"
        run_step([*flask, "db", "upgrade"], env=env, cwd=ROOT, log=log)

    migrated(NAME, own["REPORTS_DATABASE_URL"], upgrade)  # a SQLite file: a copy
    web = gunicorn(
        NAME, f"{APP}:create_app()", port, own, workdir, workers=1, threads=4
    )
    consumer = command(
        f"{NAME}-consumer",
        ["-m", "flask", "--app", APP, "reports", "consume"],
        own,
        workdir,
    )
    return [web, consumer]
