"""/readyz: orders is not ready while catalog or a worker it needs is away."""

import secrets
import threading
from http import HTTPStatus

import pytest

from extracted_services.chassis import heartbeats

from .conftest import closed_port_url

pytestmark = pytest.mark.django_db


def test_ready_when_its_database_redis_and_catalog_answer(client, catalog, settings):
    """Each dependency is named in ``checks``."""
    settings.SERVICE_URLS = {**settings.SERVICE_URLS, "catalog": catalog.url}

    response = client.get("/readyz")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "status": "ok",
        "checks": {
            "database": "ok",
            "redis": "ok",
            "catalog": "ok",
            "orders-worker": "ok",
            "orders-relay": "ok",
            "payments-worker": "ok",
        },
    }


def test_not_ready_while_catalog_is_down(client, settings):
    """A 503 that names catalog as the failing check."""
    settings.SERVICE_URLS = {**settings.SERVICE_URLS, "catalog": closed_port_url()}

    response = client.get("/readyz")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["checks"]["catalog"].startswith("error")
    assert response.json()["checks"]["database"] == "ok"


def test_not_ready_while_the_payments_worker_sends_no_heartbeat(
    client, catalog, settings
):
    """Orders are accepted but never charged without it: a 503 naming the worker."""
    settings.SERVICE_URLS = {**settings.SERVICE_URLS, "catalog": catalog.url}
    settings.CELERY_TASK_ALWAYS_EAGER = False  # real workers, as in production
    settings.ORDERS_QUEUE = f"test-orders-{secrets.token_hex(4)}"
    settings.PAYMENTS_QUEUE = f"test-payments-{secrets.token_hex(4)}"
    stop = threading.Event()
    stop.set()  # one heartbeat: the orders worker's, not payments'
    heartbeats.beat([settings.ORDERS_QUEUE], stop=stop)
    heartbeats.forget()

    response = client.get("/readyz")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    checks = response.json()["checks"]
    assert checks["payments-worker"] == "error: WorkerSilent"
    assert checks["orders-worker"] == "ok"
    assert checks["catalog"] == "ok"
