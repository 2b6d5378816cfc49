"""The storefront as a service: its URLs, the echo lab, operations, the gateway."""

from http import HTTPStatus

import pytest
from django.test import Client

from echoapp.models import EchoSubmission

from .gateway_stand_in import Answer

pytestmark = pytest.mark.django_db

GATEWAY_HOST = "127.0.0.1:8100"


def test_the_echo_lab_is_served_here(client):
    """/echo/ echoes a valid post and stores it in the storefront's own database."""
    response = client.post("/echo/", {"name": "Ada", "message": "<b>hi</b>"})

    assert response.status_code == HTTPStatus.OK
    assert "&lt;b&gt;hi&lt;/b&gt;" in response.text
    assert EchoSubmission.objects.get().name == "Ada"
    assert client.get("/echo/submissions/").status_code == HTTPStatus.OK


def test_the_echo_api_is_served_here(client):
    """POST /api/echo/submissions/ is the lab's API: 201, then listed."""
    created = client.post(
        "/api/echo/submissions/",
        {"name": "Ada", "message": "hello"},
        content_type="application/json",
    )
    listed = client.get("/api/echo/submissions/")

    assert created.status_code == HTTPStatus.CREATED
    assert listed.json()["results"][0]["name"] == "Ada"


def test_the_schema_describes_the_echo_api_for_the_gateway(client):
    """The gateway merges this schema into the whole API's; it has the echo paths."""
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == HTTPStatus.OK
    assert set(response.json()["paths"]) == {"/api/echo/submissions/"}


@pytest.mark.parametrize("path", ["/admin/", "/api/products/", "/api/orders/"])
def test_the_admin_and_the_services_apis_are_not_here(client, path):
    """The gateway serves /admin/ and sends the APIs to their services."""
    assert client.get(path).status_code == HTTPStatus.NOT_FOUND


def test_every_answer_says_the_storefront_served_it(client):
    """X-Served-By and the request id, as every service's answers."""
    response = client.get("/healthz", HTTP_X_REQUEST_ID="ops-1")

    assert response.status_code == HTTPStatus.OK
    assert response["X-Served-By"] == "storefront"
    assert response["X-Request-ID"] == "ops-1"


def test_ready_means_the_gateway_answers_too(client, gateway):
    """/readyz checks the database, Redis and the gateway's /healthz."""
    gateway.answer("GET", "/healthz", {"status": "ok"})

    response = client.get("/readyz")

    assert response.status_code == HTTPStatus.OK
    assert response.json()["checks"] == {
        "database": "ok",
        "redis": "ok",
        "gateway": "ok",
    }


def test_ready_fails_without_the_gateway(client, gateway):
    """The gateway's /healthz failing makes the storefront not ready: 503."""
    gateway.on("GET", "/healthz", lambda call: Answer(HTTPStatus.SERVICE_UNAVAILABLE))

    response = client.get("/readyz")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["checks"]["gateway"].startswith("error")


def test_forms_posted_through_the_gateway_pass_the_csrf_check():
    """Behind the gateway the browser's Origin is the gateway's host: accepted."""
    browser = Client(enforce_csrf_checks=True)
    through_gateway = {"HTTP_X_FORWARDED_HOST": GATEWAY_HOST}
    page = browser.get("/echo/", **through_gateway)
    form = {
        "csrfmiddlewaretoken": page.context["csrf_token"],
        "name": "Ada",
        "message": "hello",
    }

    response = browser.post(
        "/echo/", form, HTTP_ORIGIN=f"http://{GATEWAY_HOST}", **through_gateway
    )
    elsewhere = browser.post(
        "/echo/", form, HTTP_ORIGIN="http://evil.example", **through_gateway
    )

    assert response.status_code == HTTPStatus.OK
    assert elsewhere.status_code == HTTPStatus.FORBIDDEN
