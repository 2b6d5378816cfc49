"""/healthz, /readyz and /metrics: what operators and load balancers ask."""

from http import HTTPStatus

import pytest
from django.test import override_settings

from extracted_services.chassis import health, metrics
from extracted_services.chassis.settings import READINESS_CHECKS, SERVICE_URLS

pytestmark = pytest.mark.django_db
CATALOG_CHECK = {
    **READINESS_CHECKS,
    "catalog": "extracted_services.chassis.health.check_catalog",
}


def test_healthz_says_the_process_is_up(api_client):
    """Liveness needs nothing but the process itself."""
    response = api_client.get("/healthz")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_is_200_when_the_database_and_redis_answer(api_client):
    """The default checks, against the real database and Redis."""
    response = api_client.get("/readyz")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "ok"},
    }


def test_readyz_is_200_when_a_needed_service_answers(api_client, stand_in):
    """A service named in READINESS_CHECKS is asked for its /healthz."""
    urls = {**SERVICE_URLS, "catalog": stand_in.url}
    with override_settings(READINESS_CHECKS=CATALOG_CHECK, SERVICE_URLS=urls):
        response = api_client.get("/readyz")

    assert response.status_code == HTTPStatus.OK
    assert response.json()["checks"]["catalog"] == "ok"
    assert [(r.method, r.path) for r in stand_in.received] == [("GET", "/healthz")]


def test_readyz_is_503_naming_what_is_down(api_client, closed_url):
    """A needed service that refuses connections makes this one not ready."""
    urls = {**SERVICE_URLS, "catalog": closed_url}
    with override_settings(READINESS_CHECKS=CATALOG_CHECK, SERVICE_URLS=urls):
        response = api_client.get("/readyz")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "redis": "ok", "catalog": "error: ConnectError"},
    }


def test_readyz_is_503_when_a_service_answers_with_an_error(api_client, stand_in):
    """A /healthz answering 500 counts as down."""
    stand_in.script(HTTPStatus.INTERNAL_SERVER_ERROR)
    urls = {**SERVICE_URLS, "catalog": stand_in.url}
    with override_settings(READINESS_CHECKS=CATALOG_CHECK, SERVICE_URLS=urls):
        response = api_client.get("/readyz")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["checks"]["catalog"] == "error: HTTPStatusError"


@override_settings(REDIS_URL="redis://127.0.0.1:1/0")
def test_readyz_is_503_when_redis_is_away(api_client):
    """Nothing listens on port 1: the Redis check fails, the database one does not."""
    response = api_client.get("/readyz")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["checks"] == {
        "database": "ok",
        "redis": "error: ConnectionError",
    }


def test_each_service_has_a_check_named_after_it():
    """check_catalog, check_orders, ... each ask their own service."""
    for name in ("catalog", "orders", "payments", "storefront", "gateway"):
        assert getattr(health, f"check_{name}").__name__ == f"check_{name}"


def test_metrics_counts_requests_by_view_and_status(api_client):
    """/metrics is Prometheus text with the requests served, by route name."""
    api_client.get("/healthz")

    response = api_client.get("/metrics")

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
    api_client, settings, authorization
):
    """METRICS_TOKEN set: without its bearer, a 401 problem and no figures."""
    settings.METRICS_TOKEN = METRICS_TOKEN
    headers = {"Authorization": authorization} if authorization else {}

    response = api_client.get("/metrics", headers=headers)

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == metrics.SCRAPE_REFUSED
    assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'
    assert b"http_requests_total" not in response.content


def test_metrics_with_a_token_set_answer_its_bearer(api_client, settings):
    """The scraper's credential reads the figures."""
    settings.METRICS_TOKEN = METRICS_TOKEN

    response = api_client.get(
        "/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}
    )

    assert response.status_code == HTTPStatus.OK
    assert b"http_requests_total" in response.content
