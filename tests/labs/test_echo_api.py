"""The echo lab's API: a page of submissions, a POST to add one, 400 problems."""

import os
from http import HTTPStatus

import pytest
from django.urls import include, path, reverse
from drf_spectacular.generators import SchemaGenerator

from echoapp.models import EchoSubmission
from monolith.core.problems import CONTENT_TYPE as PROBLEM_JSON

# "__all__": with MONGODB_URI set, the submissions live in the "mongodb" database.
pytestmark = pytest.mark.django_db(databases="__all__")

URL = reverse("echo-api:submission-list")
ON_MONGODB = bool(os.environ.get("MONGODB_URI"))


def test_the_api_is_at_api_echo_submissions():
    """The contract's path."""
    assert URL == "/api/echo/submissions/"


def test_post_creates_a_submission(api_client):
    """A valid POST is a 201 with {id, name, message, created_at} and stores it."""
    response = api_client.post(URL, {"name": "Ada", "message": "Hello"})

    assert response.status_code == HTTPStatus.CREATED
    body = response.json()
    assert set(body) == {"id", "name", "message", "created_at"}
    assert (body["name"], body["message"]) == ("Ada", "Hello")
    assert body["created_at"].endswith("Z")  # ISO 8601, in UTC
    stored = EchoSubmission.objects.get()
    assert str(body["id"]) == str(stored.pk)


@pytest.mark.skipif(ON_MONGODB, reason="on MongoDB, ids are ObjectId strings")
def test_ids_are_integers_on_sql(api_client):
    """On SQL databases the id is an integer, as the contract says."""
    body = api_client.post(URL, {"name": "Ada", "message": "Hello"}).json()

    assert isinstance(body["id"], int)


def test_get_lists_a_page_newest_first(api_client, make_submission):
    """GET is a DRF page of submissions, newest first."""
    older = make_submission(name="Older", minutes_ago=10)
    newer = make_submission(name="Newer", minutes_ago=1)

    response = api_client.get(URL)

    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert (body["count"], body["next"], body["previous"]) == (2, None, None)
    assert [r["name"] for r in body["results"]] == ["Newer", "Older"]
    assert [str(r["id"]) for r in body["results"]] == [str(newer.pk), str(older.pk)]


def test_get_pages_by_page_and_page_size(api_client, make_submission):
    """?page_size= sets the page's length; next and previous link the pages."""
    for minutes_ago in range(3):
        make_submission(name=f"Sent {minutes_ago} min ago", minutes_ago=minutes_ago)

    first = api_client.get(URL, {"page_size": 2}).json()
    second = api_client.get(URL, {"page_size": 2, "page": 2}).json()

    assert [r["name"] for r in first["results"]] == ["Sent 0 min ago", "Sent 1 min ago"]
    assert "page=2" in first["next"]
    assert [r["name"] for r in second["results"]] == ["Sent 2 min ago"]
    assert second["next"] is None
    assert second["previous"] is not None


def test_the_api_returns_input_as_data_not_html(api_client):
    """JSON needs no HTML escaping: the API gives back exactly what was sent."""
    script = "<script>alert(1)</script>"

    body = api_client.post(URL, {"name": script, "message": script}).json()

    assert body["name"] == script


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({}, {"name", "message"}),
        ({"name": "", "message": "Hello"}, {"name"}),
        ({"name": "x" * 101, "message": "Hello"}, {"name"}),
        ({"name": "Ada", "message": "x" * 2001}, {"message"}),
    ],
    ids=["missing", "empty-name", "name-too-long", "message-too-long"],
)
def test_invalid_input_is_a_400_problem_naming_the_fields(api_client, data, fields):
    """Bad input is a problem+json 400 with ``errors`` per field; nothing stored."""
    response = api_client.post(URL, data, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response["Content-Type"] == PROBLEM_JSON
    problem = response.json()
    assert problem["status"] == HTTPStatus.BAD_REQUEST
    assert problem["type"] == "/problems/validation-error"
    assert set(problem["errors"]) == fields
    assert not EchoSubmission.objects.exists()


def test_the_api_is_browsable(api_client):
    """Asked for text/html, the list renders in DRF's browsable API."""
    response = api_client.get(URL, HTTP_ACCEPT="text/html")

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/html")
    assert "Django REST framework" in response.content.decode()


def test_the_schema_documents_the_page_and_the_201():
    """drf-spectacular describes GET as a paginated list and POST's 201 and 400."""
    generator = SchemaGenerator(
        patterns=[path("api/echo/", include("echoapp.api_urls"))]
    )
    schema = generator.get_schema(request=None, public=True)

    operations = schema["paths"]["/api/echo/submissions/"]
    listed = operations["get"]["responses"]["200"]["content"]["application/json"]
    assert listed["schema"]["$ref"].endswith("/PaginatedEchoSubmissionList")
    assert {"201", "400"} <= set(operations["post"]["responses"])
