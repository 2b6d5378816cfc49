"""/readyz: the orders service is not ready while catalog does not answer."""

from http import HTTPStatus

import pytest

from .conftest import closed_port_url

pytestmark = pytest.mark.django_db


def test_ready_when_its_database_redis_and_catalog_answer(client, catalog, settings):
    """Each dependency is named in ``checks``."""
    settings.SERVICE_URLS = {**settings.SERVICE_URLS, "catalog": catalog.url}

    response = client.get("/readyz")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "ok", "catalog": "ok"},
    }


def test_not_ready_while_catalog_is_down(client, settings):
    """A 503 that names catalog as the failing check."""
    settings.SERVICE_URLS = {**settings.SERVICE_URLS, "catalog": closed_port_url()}

    response = client.get("/readyz")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["checks"]["catalog"].startswith("error")
    assert response.json()["checks"]["database"] == "ok"
