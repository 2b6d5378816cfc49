"""Operations endpoints: alive, ready (database and Redis), metrics."""

from http import HTTPStatus

import pytest

pytestmark = pytest.mark.django_db


def test_alive(client):
    """/healthz is 200 while the process serves."""
    response = client.get("/healthz")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"status": "ok"}


def test_ready_when_its_database_and_redis_answer(client):
    """Catalog depends on no other service: its database and Redis are the checks."""
    response = client.get("/readyz")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "ok"},
    }


def test_not_ready_while_redis_is_away(client, settings):
    """A 503 that names Redis as the failing check."""
    settings.REDIS_URL = settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"

    response = client.get("/readyz")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["checks"]["redis"].startswith("error")
    assert response.json()["checks"]["database"] == "ok"


def test_metrics_count_requests_by_view(client):
    """/metrics is Prometheus text with the catalog's views in it."""
    client.get("/api/categories/")

    response = client.get("/metrics")

    assert response.status_code == HTTPStatus.OK
    assert "http_requests_total" in response.text
