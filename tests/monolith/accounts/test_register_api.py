"""POST /api/auth/register/: sign up through the API."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import User

from monolith.accounts.apis import USERNAME_TAKEN
from tests.factories import UserFactory

from .helpers import STRONG_PASSWORD, assert_problem

pytestmark = pytest.mark.django_db

URL = "/api/auth/register/"


def sign_up(api_client, **fields):
    body = {
        "username": "carol",
        "email": "carol@example.com",
        "password": STRONG_PASSWORD,
    }
    return api_client.post(URL, {**body, **fields}, format="json")


def test_signing_up_creates_the_user_and_returns_it(api_client):
    """A 201 with the new user's id, username and email, never the password."""
    response = sign_up(api_client)

    assert response.status_code == HTTPStatus.CREATED
    user = User.objects.get(username="carol")
    assert response.json() == {
        "id": user.id,
        "username": "carol",
        "email": "carol@example.com",
    }
    assert user.check_password(STRONG_PASSWORD)


@pytest.mark.parametrize(
    "password",
    ["short", "password123", "12345678901", "carol1234"],
    ids=["too-short", "too-common", "all-digits", "like-the-username"],
)
def test_a_weak_password_is_a_validation_problem_on_password(api_client, password):
    """Django's password validators decide; their messages land on "password"."""
    response = sign_up(api_client, password=password)

    body = assert_problem(response, HTTPStatus.BAD_REQUEST)
    assert body["type"] == "/problems/validation-error"
    assert list(body["errors"]) == ["password"]
    assert not User.objects.filter(username="carol").exists()


@pytest.mark.parametrize("username", ["carol", "Carol"])
def test_a_taken_username_is_a_validation_problem(api_client, username):
    """A username already in use, in any letter case, cannot be taken again."""
    UserFactory(username="carol")

    response = sign_up(api_client, username=username)

    body = assert_problem(response, HTTPStatus.BAD_REQUEST)
    assert body["errors"] == {"username": [USERNAME_TAKEN]}


def test_an_invalid_email_is_a_validation_problem(api_client):
    """The email address must look like one."""
    response = sign_up(api_client, email="not-an-email")

    body = assert_problem(response, HTTPStatus.BAD_REQUEST)
    assert list(body["errors"]) == ["email"]


def test_every_missing_field_is_named(api_client):
    """An empty body names each required field."""
    response = api_client.post(URL, {}, format="json")

    body = assert_problem(response, HTTPStatus.BAD_REQUEST)
    assert set(body["errors"]) == {"username", "email", "password"}
