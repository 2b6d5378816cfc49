"""Users and their tokens: the gateway's own API, the monolith's accounts API moved."""

from http import HTTPStatus

import jwt
import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-9"


def _register(api, username="carol"):
    body = {
        "username": username,
        "email": f"{username}@example.com",
        "password": PASSWORD,
    }
    return api.post("/api/auth/register/", body, format="json")


def test_register_then_sign_in_then_ask_who_i_am(api):
    """201 with the user, 200 with a token pair, and /me answers with the user."""
    assert _register(api).status_code == HTTPStatus.CREATED
    tokens = api.post(
        "/api/auth/token/", {"username": "carol", "password": PASSWORD}, format="json"
    ).json()

    api.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    me = api.get("/api/auth/me/")

    assert me.status_code == HTTPStatus.OK
    assert me.json()["username"] == "carol"


def test_tokens_say_who_the_user_is_for_the_other_services(api):
    """Audience, issuer, username and is_staff: all a service needs, no lookup."""
    _register(api)
    access = api.post(
        "/api/auth/token/", {"username": "carol", "password": PASSWORD}, format="json"
    ).json()["access"]

    claims = jwt.decode(
        access,
        settings.SIMPLE_JWT["SIGNING_KEY"],
        algorithms=["HS256"],
        audience="shop",
        issuer="shop-gateway",
    )

    assert claims["username"] == "carol"
    assert claims["is_staff"] is False


def test_a_taken_username_is_a_400_problem(api):
    """Signing up twice with one name: the second is refused, field by field."""
    _register(api)

    response = _register(api)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "username" in response.json()["errors"]


def test_a_wrong_password_is_a_401_problem(api):
    """No tokens for a wrong password."""
    _register(api)

    response = api.post(
        "/api/auth/token/", {"username": "carol", "password": "wrong"}, format="json"
    )

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["Content-Type"] == "application/problem+json"
