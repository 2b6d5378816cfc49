"""What every service does: request ids, X-Served-By, problems, health, metrics."""

from http import HTTPStatus

import pytest

from extracted_services.recommendations.observability import HEADER
from extracted_services.recommendations.problems import (
    CONTENT_TYPE,
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
)

from .conftest import with_settings


def test_a_valid_caller_request_id_is_kept_and_returned(client):
    response = client.get("/healthz", headers={HEADER: "abc-123.x:y"})

    assert response.headers[HEADER] == "abc-123.x:y"
    assert response.headers["X-Served-By"] == "recommendations"


def test_an_unsafe_request_id_is_replaced_by_a_new_one(client):
    """Not a plain short token: a fresh id, so log lines stay clean."""
    response = client.get("/healthz", headers={HEADER: "bad id\nwith newline"})

    assert response.headers[HEADER] != "bad id\nwith newline"
    assert len(response.headers[HEADER]) == 32


def test_an_unknown_path_is_a_404_problem(client):
    response = client.get("/api/nothing-here/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.headers["content-type"] == CONTENT_TYPE
    assert response.json()["status"] == HTTPStatus.NOT_FOUND
    assert HEADER in response.headers


def test_a_wrong_method_is_a_405_problem(client):
    response = client.delete("/api/recommendations/")

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert response.headers["content-type"] == CONTENT_TYPE


def test_404_and_405_problems_say_what_the_django_services_say(client):
    """The same detail as the monolith's for the same request, not Starlette's."""
    missing = client.get("/api/recommendations/nope/")
    wrong = client.put("/api/recommendations/", params={"product_id": 1})

    assert missing.json()["detail"] == NOT_FOUND
    assert wrong.json()["detail"] == METHOD_NOT_ALLOWED.format(method="PUT")
    assert "GET" in wrong.headers["Allow"]


def test_head_is_get_without_a_body(client):
    """HEAD is allowed wherever GET is (RFC 9110), as on the Django stack."""
    response = client.head("/api/recommendations/", params={"product_id": 1})

    assert response.status_code == HTTPStatus.OK
    assert response.content == b""
    assert response.headers["content-type"] == "application/json"
    assert response.headers[HEADER]


@pytest.mark.parametrize("path", ["/healthz/", "/api/schema"])
def test_a_path_with_the_wrong_slash_is_a_404_not_a_redirect_to_this_process(
    client, path
):
    """Behind the gateway, a redirect naming this process's address is a dead end."""
    response = client.get(path, follow_redirects=False)

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.headers["content-type"] == CONTENT_TYPE


def test_a_bug_is_a_500_problem_with_the_request_id_never_a_traceback(
    client, monkeypatch
):
    """Whatever breaks inside, the caller gets problem+json and the id to report."""

    def broken(self):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(
        "extracted_services.recommendations.serving.ModelHolder.current", broken
    )

    response = client.get("/api/recommendations/", params={"product_id": 1})

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert response.headers["content-type"] == CONTENT_TYPE
    assert "secret internals" not in response.text
    assert response.headers[HEADER]


def test_healthz_says_ok(client):
    response = client.get("/healthz")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"status": "ok"}


def test_readyz_checks_the_store_redis_and_the_model(client):
    response = client.get("/readyz")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "ok", "model": "ok"},
    }


@pytest.fixture
def broken_redis(settings):
    return with_settings(settings, redis_url="redis://127.0.0.1:1/0")


def test_readyz_is_503_when_redis_does_not_answer(broken_redis):
    from fastapi.testclient import TestClient

    from extracted_services.recommendations.main import create_app

    with TestClient(create_app(broken_redis)) as client:
        response = client.get("/readyz")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["redis"].startswith("error: ")


def test_readyz_is_503_when_the_newest_model_does_not_load(client, settings):
    """A ``latest`` pointer to a broken artifact: not ready (the old model serves)."""
    settings.model_dir.mkdir(parents=True)
    (settings.model_dir / "model-broken.npz").write_bytes(b"not a model")
    (settings.model_dir / "latest").write_text("model-broken.npz")

    response = client.get("/readyz")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["checks"]["model"].startswith("error: model-broken.npz")


def test_metrics_count_requests_by_route_and_status(client):
    client.get("/api/recommendations/", params={"product_id": 1})
    client.get("/api/recommendations/")

    text = client.get("/metrics").text

    assert (
        'http_requests_total{method="GET",status="200",'
        'view="/api/recommendations/"} 1.0'
    ) in text
    assert 'status="400",view="/api/recommendations/"' in text
    assert "http_request_duration_seconds_bucket" in text
