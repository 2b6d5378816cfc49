"""The shared settings: databases per service, and production's refusals."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from extracted_services.chassis import keys
from extracted_services.chassis.settings import REPO_DIR, VAR_DIR, database_for
from extracted_services.chassis.testing_tokens import OLD_DEFAULT_JWT_KEY

STRONG_KEY = "k" * 64


@pytest.fixture(scope="module")
def keys_dir(tmp_path_factory) -> Path:
    """A deployment's folder of keys, as `python -m ...chassis.keys DIR` makes it."""
    return keys.ensure_keys(tmp_path_factory.mktemp("keys"))


@pytest.fixture(scope="module")
def production_env(keys_dir) -> dict[str, str]:
    return {
        "SECRET_KEY": STRONG_KEY,
        "KEYS_DIR": str(keys_dir),
        "ALLOWED_HOSTS": "shop.example.com",
        "METRICS_TOKEN": "m" * 32,
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


def import_production(
    module: str = "extracted_services.chassis.production", **environment: str
) -> subprocess.CompletedProcess:
    # A fresh interpreter: settings modules run their checks once, at import.
    env = {"PATH": os.environ["PATH"], **environment}
    return subprocess.run(
        [sys.executable, "-c", f"import {module}"],
        cwd=REPO_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_starts_with_real_keys_and_hosts(production_env):
    """Every key set and strong, the hosts named: the import succeeds."""
    assert import_production(**production_env).returncode == 0


@pytest.mark.parametrize(
    "change",
    [
        {"SECRET_KEY": ""},
        {"SECRET_KEY": "django-insecure-" + STRONG_KEY},
        {"SECRET_KEY": "too-short"},
        {"KEYS_DIR": str(VAR_DIR / "keys")},
        {"KEYS_DIR": "/nonexistent-keys"},
        {"JWT_PUBLIC_KEY": OLD_DEFAULT_JWT_KEY},
        {"JWT_PUBLIC_KEY_FILE": "/nonexistent-keys/jwt-public.pem"},
        {"OUTBOX_FAULT": "after_send:1"},
        {"METRICS_TOKEN": ""},
        {"METRICS_TOKEN": "m" * 31},
    ],
    ids=[
        "no key",
        "insecure key",
        "short key",
        "development keys",
        "no jwt public key",
        "the old shared secret",
        "a missing key file",
        "a planned crash (tests only)",
        "no metrics token",
        "a short metrics token",
    ],
)
def test_production_refuses_weak_keys(production_env, change):
    """A missing or development key, no credential for /metrics, or a test's planned
    crash: production stops."""
    result = import_production(**{**production_env, **change})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


def test_production_refuses_a_short_or_non_rsa_jwt_key(production_env, keys_dir):
    """RS256 with a 2048-bit key at least: an Ed25519 key is refused."""
    ed25519_key = keys.service_public_key_file(keys_dir, "orders").read_text()

    result = import_production(**{**production_env, "JWT_PUBLIC_KEY": ed25519_key})

    assert result.returncode != 0
    assert keys.NOT_RSA_PUBLIC.format(bits=keys.RSA_KEY_BITS) in result.stderr


def test_production_requires_allowed_hosts(production_env):
    """No default hosts in production: they must be named."""
    environment = dict(production_env)
    del environment["ALLOWED_HOSTS"]

    result = import_production(**environment)

    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


GATEWAY = "extracted_services.gateway.settings.production"
CATALOG = "extracted_services.catalog.settings.production"


def test_the_gateway_starts_with_the_private_half_of_the_key(production_env):
    """The gateway signs users' tokens: its private key must match the public one."""
    assert import_production(GATEWAY, **production_env).returncode == 0


def test_the_gateway_refuses_a_private_key_of_another_pair(production_env, tmp_path):
    """Tokens it signed would be refused everywhere: better not to start."""
    other = keys.ensure_keys(tmp_path, services=[])

    result = import_production(
        GATEWAY,
        **production_env,
        JWT_PRIVATE_KEY_FILE=str(other / keys.JWT_PRIVATE),
    )

    assert result.returncode != 0
    assert keys.NOT_A_PAIR in result.stderr


def read_setting(module: str, expression: str, **environment: str) -> str:
    code = (
        "import django, os; from django.conf import settings; "
        f"os.environ['DJANGO_SETTINGS_MODULE'] = {module!r}; "
        f"print({expression})"
    )
    env = {"PATH": os.environ["PATH"], **environment}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


SIGNING_KEY = "settings.SIMPLE_JWT['SIGNING_KEY'] is not None"


@pytest.mark.parametrize("service", ["catalog", "orders", "payments", "storefront"])
def test_a_service_holds_the_public_key_only(keys_dir, service):
    """Only the gateway's settings hold the key that signs users' tokens."""
    environment = {"KEYS_DIR": str(keys_dir)}
    module = f"extracted_services.{service}.settings.local"
    gateway = "extracted_services.gateway.settings.local"

    assert read_setting(module, SIGNING_KEY, **environment) == "False"
    assert read_setting(gateway, SIGNING_KEY, **environment) == "True"
