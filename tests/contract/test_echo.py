"""The echo lab's API: submissions listed newest first, created with validation."""

from http import HTTPStatus

import pytest

from .helpers import assert_field_error, assert_timestamp, unique


def test_a_valid_submission_is_created(api):
    """POST /api/echo/submissions/ is 201 {id, name, message, created_at}."""
    body = {"name": unique("echo"), "message": "<b>hello</b> & goodbye"}

    response = api.post("/api/echo/submissions/", json=body)

    assert response.status_code == HTTPStatus.CREATED
    created = response.json()
    assert set(created) == {"id", "name", "message", "created_at"}
    assert isinstance(created["id"], int)
    assert {k: created[k] for k in body} == body  # stored as sent, not escaped
    assert_timestamp(created["created_at"])


def test_the_longest_valid_values_are_accepted(api):
    """A 100-character name and a 2000-character message are still valid."""
    response = api.post(
        "/api/echo/submissions/", json={"name": "n" * 100, "message": "m" * 2000}
    )

    assert response.status_code == HTTPStatus.CREATED


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "", "message": "hi"}, "name"),
        ({"name": "n" * 101, "message": "hi"}, "name"),
        ({"name": "ann", "message": ""}, "message"),
        ({"name": "ann", "message": "m" * 2001}, "message"),
        ({"message": "hi"}, "name"),
        ({"name": "ann"}, "message"),
    ],
    ids=[
        "empty-name",
        "long-name",
        "empty-message",
        "long-message",
        "no-name",
        "no-message",
    ],
)
def test_invalid_submissions_name_the_field(api, body, field):
    """Names outside 1..100 and messages outside 1..2000 characters are 400s."""
    assert_field_error(api.post("/api/echo/submissions/", json=body), field)


def test_submissions_are_listed_newest_first(api):
    """GET /api/echo/submissions/ is a page with the newest submission first."""
    names = [unique("first"), unique("second")]
    for name in names:
        api.post("/api/echo/submissions/", json={"name": name, "message": "hi"})

    response = api.get("/api/echo/submissions/", params={"page_size": 100})

    assert response.status_code == HTTPStatus.OK
    listed = [item["name"] for item in response.json()["results"]]
    assert listed.index(names[1]) < listed.index(names[0])
    times = [assert_timestamp(i["created_at"]) for i in response.json()["results"]]
    assert times == sorted(times, reverse=True)
