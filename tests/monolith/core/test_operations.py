"""/healthz, /readyz and /metrics, and the production settings' safety checks."""

import os
import secrets
import subprocess
import sys
import threading
from http import HTTPStatus
from pathlib import Path

import pytest

from monolith.core import heartbeats, metrics
from monolith.core.jwt_keys import local_private_key

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.django_db


def test_healthz_answers_while_the_process_serves(client):
    """Liveness needs nothing but the process."""
    response = client.get("/healthz")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"status": "ok"}


def test_readyz_checks_the_database_and_the_broker(client):
    """Readiness is 200 with each dependency's check when all answer."""
    response = client.get("/readyz")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "status": "ok",
        "checks": {"default": "ok", "broker": "ok", "cache": "ok", "worker": "ok"},
    }


def test_readyz_is_503_when_the_broker_is_down(client, settings):
    """An unreachable broker makes the process not ready and names the failed check."""
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"

    response = client.get("/readyz")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["broker"].startswith("error")
    assert body["checks"]["default"] == "ok"


def test_readyz_is_503_while_the_worker_sends_no_heartbeat(client, settings):
    """Orders would stay pending without the worker: not ready, naming it."""
    settings.CELERY_TASK_ALWAYS_EAGER = False  # a real worker, as in production
    settings.CELERY_TASK_DEFAULT_QUEUE = f"test-monolith-{secrets.token_hex(4)}"
    heartbeats.forget()

    response = client.get("/readyz")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["checks"]["worker"] == "error: WorkerSilent"
    assert response.json()["checks"]["broker"] == "ok"


def test_readyz_is_200_once_the_worker_beats(client, settings):
    """The heartbeat a worker writes once it consumes makes the process ready."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_TASK_DEFAULT_QUEUE = f"test-monolith-{secrets.token_hex(4)}"
    stop = threading.Event()
    stop.set()  # one heartbeat, then the loop returns
    heartbeats.beat([settings.CELERY_TASK_DEFAULT_QUEUE], stop=stop)
    heartbeats.forget()

    response = client.get("/readyz")

    assert response.status_code == HTTPStatus.OK
    assert response.json()["checks"]["worker"] == "ok"


def test_metrics_count_requests_by_view_and_status(client):
    """/metrics is Prometheus text with request counts labelled by route name."""
    client.get("/healthz")

    response = client.get("/metrics")

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert 'http_requests_total{method="GET",status="200",view="healthz"}' in text
    assert "http_request_duration_seconds_bucket" in text


METRICS_TOKEN = "scrape-" + "s" * 32


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer wrong-token", f"Basic {METRICS_TOKEN}", f"Bearer {METRICS_TOKEN}x"],
    ids=["no credential", "another token", "another scheme", "a longer token"],
)
def test_metrics_with_a_token_set_refuse_a_scrape_without_it(
    client, settings, authorization
):
    """METRICS_TOKEN set: without its bearer, a 401 problem and no figures."""
    settings.METRICS_TOKEN = METRICS_TOKEN
    headers = {"Authorization": authorization} if authorization else {}

    response = client.get("/metrics", headers=headers)

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == metrics.SCRAPE_REFUSED
    assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'
    assert b"http_requests_total" not in response.content


def test_metrics_with_a_token_set_answer_its_bearer(client, settings):
    """The scraper's credential reads the figures."""
    settings.METRICS_TOKEN = METRICS_TOKEN

    response = client.get(
        "/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}
    )

    assert response.status_code == HTTPStatus.OK
    assert b"http_requests_total" in response.content


def _production(extra_env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    env = {name: value for name, value in os.environ.items() if name != "SECRET_KEY"}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "monolith.settings.production",
            "ALLOWED_HOSTS": "shop.example.com",
            "METRICS_TOKEN": secrets.token_urlsafe(32),
            **extra_env,
        }
    )
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("key", ["", "django-insecure-local-development-only"])
def test_production_refuses_a_missing_or_development_key(key):
    """Production settings will not start without a real SECRET_KEY."""
    result = _production({"SECRET_KEY": key}, "check")

    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


@pytest.mark.parametrize("token", ["", "m" * 31])
def test_production_refuses_to_start_without_a_metrics_token(token):
    """No scrape credential, or a guessable one: /metrics would be anyone's."""
    result = _production(
        {"SECRET_KEY": secrets.token_urlsafe(64), "METRICS_TOKEN": token}, "check"
    )

    assert result.returncode != 0
    assert "Set METRICS_TOKEN" in result.stderr


def test_production_refuses_to_start_without_a_token_signing_key():
    """No key made on the fly in production: the API tokens' key comes in."""
    result = _production({"SECRET_KEY": secrets.token_urlsafe(64)}, "check")

    assert result.returncode != 0
    assert "Set JWT_PRIVATE_KEY" in result.stderr


def test_production_settings_pass_the_deploy_check(tmp_path):
    """`check --deploy` reports nothing, not even a warning, with real keys."""
    jwt_key = local_private_key(tmp_path / "keys")
    result = _production(
        {"SECRET_KEY": secrets.token_urlsafe(64), "JWT_PRIVATE_KEY": jwt_key},
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
