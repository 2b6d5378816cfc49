"""Operations: liveness, readiness and Prometheus metrics on the public door."""

from http import HTTPStatus

import pytest

from .helpers import create_product, order_body, poll, settled_order, unique


def test_healthz_says_ok(api):
    """/healthz is 200 {"status": "ok"} while the process serves."""
    response = api.get("/healthz")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"status": "ok"}


def test_readyz_is_ready_with_every_check_ok(api):
    """/readyz is 200 and lists its checks, each of them ok."""
    response = api.get("/readyz")

    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]
    assert set(body["checks"].values()) == {"ok"}


def test_metrics_count_requests_by_view_and_status(api):
    """/metrics is Prometheus text with request counts and latency histograms."""
    api.get("/healthz")

    response = api.get("/metrics")

    assert response.status_code == HTTPStatus.OK
    assert response.headers["content-type"].startswith("text/plain")
    samples = [line for line in response.text.splitlines() if not line.startswith("#")]
    counts = [line for line in samples if line.startswith("http_requests_total{")]
    assert any('status="200"' in line and 'view="' in line for line in counts)
    assert any(
        line.startswith("http_request_duration_seconds_bucket{") for line in samples
    )


def test_the_request_id_follows_an_order_into_every_process(stack, api, user, staff):
    """A caller's X-Request-ID shows up in the logs of the web and worker processes."""
    if not stack.processes:
        pytest.skip("the stack was started elsewhere: its logs are not at hand")
    product = create_product(api, staff, stock=5)
    request_id = unique("trace")
    headers = {**user.headers, "X-Request-ID": request_id}

    placed = api.post(
        "/api/orders/", json=order_body([(product["id"], 1)]), headers=headers
    )
    settled_order(api, user, placed.json()["id"])

    def logs_with_the_id() -> list[str]:
        return [p.name for p in stack.processes if request_id in p.log.read_text()]

    # The process that took the request, and every worker the order went through
    # (the monolith's mail worker; the services' orders and payments workers).
    workers = {
        p.name for p in stack.processes if "worker" in p.name or p.name == "celery"
    }
    names = poll(logs_with_the_id, lambda names: workers <= set(names), timeout=10)
    assert workers <= set(names)
    assert len(names) >= 2
