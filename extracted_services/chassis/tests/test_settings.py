"""The shared settings: databases per service, and production's refusals."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from extracted_services.chassis.settings import REPO_DIR, VAR_DIR, database_for

STRONG_KEY = "k" * 64
PRODUCTION_ENV = {
    "SECRET_KEY": STRONG_KEY,
    "JWT_SIGNING_KEY": STRONG_KEY,
    "SERVICE_SIGNING_KEY": STRONG_KEY,
    "ALLOWED_HOSTS": "shop.example.com",
}


def test_a_service_gets_a_sqlite_file_of_its_own(monkeypatch):
    """Without DATABASE_URL: var/<service>.sqlite3, WAL and immediate transactions."""
    monkeypatch.delenv("DATABASE_URL", raising=False)

    database = database_for("catalog")

    assert database["NAME"] == str(VAR_DIR / "catalog.sqlite3")
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]


def test_database_url_wins(monkeypatch):
    """DATABASE_URL names another database; connections are then kept and checked."""
    monkeypatch.setenv("DATABASE_URL", "postgres://shop@127.0.0.1:5432/catalog")

    database = database_for("catalog")

    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["NAME"] == "catalog"
    assert database["CONN_HEALTH_CHECKS"] is True


def test_every_log_line_names_the_request():
    """The one format every service logs with."""
    assert settings.LOGGING["formatters"]["plain"]["format"] == (
        "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"
    )


def import_production(**environment: str) -> subprocess.CompletedProcess:
    # A fresh interpreter: settings modules run their checks once, at import.
    env = {"PATH": os.environ["PATH"], **environment}
    return subprocess.run(
        [sys.executable, "-c", "import extracted_services.chassis.production"],
        cwd=REPO_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_starts_with_real_keys_and_hosts():
    """Every key set and strong, the hosts named: the import succeeds."""
    assert import_production(**PRODUCTION_ENV).returncode == 0


@pytest.mark.parametrize(
    "change",
    [
        {"SECRET_KEY": ""},
        {"SECRET_KEY": "django-insecure-" + STRONG_KEY},
        {"SECRET_KEY": "too-short"},
        {"JWT_SIGNING_KEY": "short"},
        {"SERVICE_SIGNING_KEY": ""},
    ],
    ids=["no key", "insecure key", "short key", "weak jwt key", "no service key"],
)
def test_production_refuses_weak_keys(change):
    """A missing or development key stops production at start-up."""
    result = import_production(**{**PRODUCTION_ENV, **change})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


def test_production_requires_allowed_hosts():
    """No default hosts in production: they must be named."""
    environment = dict(PRODUCTION_ENV)
    del environment["ALLOWED_HOSTS"]

    result = import_production(**environment)

    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr
