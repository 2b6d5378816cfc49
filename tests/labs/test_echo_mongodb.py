"""The echo lab on MongoDB: runs only when MONGODB_URI points at a MongoDB server.

Start one (e.g. ``docker compose -f compose/docker-compose.yml up -d mongodb``), then
``MONGODB_URI=mongodb://127.0.0.1:27017 .venv/bin/pytest tests/labs``.
"""

import os
import re
from http import HTTPStatus

import pytest
from django.db import connections, router

from echoapp.models import EchoSubmission
from echoapp.routers import MONGODB_ALIAS

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("MONGODB_URI"),
        reason="MongoDB path: set MONGODB_URI to a MongoDB server to run it",
    ),
    pytest.mark.django_db(databases=["default", MONGODB_ALIAS]),
]

OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")


def test_submissions_are_routed_to_mongodb():
    """With MONGODB_URI set, the router sends EchoSubmission to "mongodb"."""
    assert router.db_for_write(EchoSubmission) == MONGODB_ALIAS
    assert connections[MONGODB_ALIAS].vendor == "mongodb"


def test_the_primary_key_is_an_object_id():
    """MongoDB has no auto-increment: the model's pk is an ObjectIdAutoField."""
    assert type(EchoSubmission._meta.pk).__name__ == "ObjectIdAutoField"


def test_the_api_stores_a_document_with_an_object_id(api_client):
    """POST stores a document in MongoDB and answers with its ObjectId as a string."""
    response = api_client.post(
        "/api/echo/submissions/", {"name": "Ada", "message": "Hello"}
    )

    assert response.status_code == HTTPStatus.CREATED
    submission_id = response.json()["id"]
    assert OBJECT_ID.match(submission_id)
    stored = EchoSubmission.objects.using(MONGODB_ALIAS).get(pk=submission_id)
    assert stored.name == "Ada"
    sql_tables = connections["default"].introspection.table_names()
    assert EchoSubmission._meta.db_table not in sql_tables


def test_the_page_echoes_escaped_and_lists_from_mongodb(client):
    """The form page and the list page work the same on MongoDB."""
    script = "<script>alert(1)</script>"

    echoed = client.post("/echo/", {"name": "Ada", "message": script})
    listed = client.get("/echo/submissions/")

    assert "&lt;script&gt;" in echoed.content.decode()
    assert script not in echoed.content.decode()
    assert [s.name for s in listed.context["page_obj"]] == ["Ada"]
