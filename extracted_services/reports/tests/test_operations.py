"""What every process has: health, readiness, metrics, request ids, problems, schema."""

from http import HTTPStatus

import pytest

from extracted_services.reports.problems import METHOD_NOT_ALLOWED, NOT_FOUND

PROBLEM = "application/problem+json"


def test_healthz_says_ok(client):
    response = client.get("/healthz")

    assert response.status_code == HTTPStatus.OK
    assert response.json == {"status": "ok"}


def test_readyz_checks_the_database_and_redis(client):
    response = client.get("/readyz")

    assert response.status_code == HTTPStatus.OK
    assert response.json == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "ok"},
    }


def test_readyz_is_503_when_redis_does_not_answer(app, client):
    app.config["REDIS_URL"] = "redis://127.0.0.1:9/0"  # nothing listens there

    response = client.get("/readyz")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json["checks"]["redis"].startswith("error")


def test_metrics_count_requests_by_endpoint_and_status(client):
    client.get("/healthz")

    text = client.get("/metrics").text

    assert (
        'http_requests_total{method="GET",status="200",view="operations.healthz"}'
        in (text)
    )


def test_a_valid_request_id_is_kept_and_the_service_named(client):
    response = client.get("/healthz", headers={"X-Request-ID": "abc-123"})

    assert response.headers["X-Request-ID"] == "abc-123"
    assert response.headers["X-Served-By"] == "reports"


def test_an_unsafe_request_id_is_replaced(client):
    response = client.get("/healthz", headers={"X-Request-ID": "<script>"})

    assert response.headers["X-Request-ID"] != "<script>"
    assert len(response.headers["X-Request-ID"]) == 32


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/no/such/page", HTTPStatus.NOT_FOUND),
        ("POST", "/api/reports/sales/", HTTPStatus.METHOD_NOT_ALLOWED),
    ],
)
def test_http_errors_are_problems(client, method, path, status):
    response = client.open(path, method=method)

    assert response.status_code == status
    assert response.content_type == PROBLEM
    assert response.json["status"] == status
    assert {"type", "title", "detail"} <= response.json.keys()


def test_404_and_405_problems_say_what_the_django_services_say(client):
    """The same detail as the monolith's for the same request, not Werkzeug's."""
    missing = client.get("/api/reports/nope/")
    wrong = client.put("/api/reports/sales/")

    assert missing.json["detail"] == NOT_FOUND == "No such resource."
    assert wrong.json["detail"] == METHOD_NOT_ALLOWED.format(method="PUT")
    assert "GET" in wrong.headers["Allow"]


def test_an_error_under_the_pages_path_is_a_page_not_json(client):
    """A person who mistypes /reports/... gets HTML, as on the monolith."""
    response = client.get("/reports/no-such-page/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.mimetype == "text/html"
    assert NOT_FOUND in response.text
    assert 'href="/reports/"' in response.text


def test_an_unexpected_exception_is_a_500_problem_without_a_traceback(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/boom")
    def boom():
        raise RuntimeError("a bug")

    response = client.get("/boom")

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert response.content_type == PROBLEM
    assert "a bug" not in response.text


def test_the_openapi_document_is_served_for_the_gateway(client):
    """/api/schema/ (where the gateway looks) and /openapi.json are one document."""
    schema = client.get("/api/schema/").json

    assert schema == client.get("/openapi.json").json
    assert schema["openapi"].startswith("3.")
    assert {"/api/reports/sales/", "/api/reports/sales.csv"} <= schema["paths"].keys()
    operation = schema["paths"]["/api/reports/sales/"]["get"]
    params = {param["name"] for param in operation["parameters"]}
    assert {"from", "to", "group", "page", "page_size"} <= params
    assert PROBLEM in operation["responses"]["400"]["content"]
    assert operation["security"] == [{"jwtAuth": []}]
