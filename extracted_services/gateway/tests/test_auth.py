"""Users and their tokens: the gateway's own API, the monolith's accounts API moved."""

from http import HTTPStatus

import jwt
import pytest
from django.conf import settings
from django.contrib.auth.models import User

from extracted_services.chassis import testing_tokens
from extracted_services.chassis.testing_tokens import StackKeys

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-9"
ACCESS_LIFETIME_SECONDS = 5 * 60  # short: a stolen or outdated token soon expires


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
        settings.SIMPLE_JWT["VERIFYING_KEY"],  # the public key every service holds
        algorithms=["RS256"],
        audience="shop",
        issuer="shop-gateway",
    )

    assert claims["username"] == "carol"
    assert claims["is_staff"] is False
    assert claims["exp"] - claims["iat"] == ACCESS_LIFETIME_SECONDS


def _tokens(api, username="carol") -> dict[str, str]:
    body = {"username": username, "password": PASSWORD}
    return api.post("/api/auth/token/", body, format="json").json()


def _claims(access: str) -> dict:
    return jwt.decode(access, options={"verify_signature": False})


def _refresh(api, refresh: str):
    return api.post("/api/auth/token/refresh/", {"refresh": refresh}, format="json")


def test_a_refreshed_token_reads_is_staff_again(api):
    """A demotion counts from the next refresh, not when the refresh token expires."""
    _register(api)
    User.objects.filter(username="carol").update(is_staff=True)
    tokens = _tokens(api)
    assert _claims(tokens["access"])["is_staff"] is True

    User.objects.filter(username="carol").update(is_staff=False)
    response = _refresh(api, tokens["refresh"])

    assert response.status_code == HTTPStatus.OK
    assert _claims(response.json()["access"])["is_staff"] is False


@pytest.mark.parametrize("change", ["deactivate", "delete"])
def test_a_refresh_for_a_user_who_is_gone_is_a_401(api, change):
    """A deactivated or deleted account gets no new access token (and no 500)."""
    _register(api)
    tokens = _tokens(api)
    users = User.objects.filter(username="carol")
    if change == "delete":
        users.delete()
    else:
        users.update(is_active=False)

    response = _refresh(api, tokens["refresh"])

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["Content-Type"] == "application/problem+json"


def test_an_access_token_is_no_refresh_token(api):
    """Only a refresh token buys a new access token."""
    _register(api)

    response = _refresh(api, _tokens(api)["access"])

    assert response.status_code == HTTPStatus.UNAUTHORIZED


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


FORGED = testing_tokens.USER_FORGERIES


@pytest.mark.parametrize("name", FORGED)
def test_a_forged_token_is_a_401_on_the_gateway_too(api, name):
    """The gateway checks users' tokens as every service does: the same refusals."""
    _register(api)
    user_id = User.objects.get(username="carol").pk
    stack = StackKeys(settings.KEYS_DIR)
    forged_tokens = testing_tokens.forged_user_tokens(
        stack, audience="gateway", user_id=user_id
    )
    forged = forged_tokens[name]
    real = testing_tokens.user_token(stack, user_id=user_id)

    refused = api.get("/api/auth/me/", HTTP_AUTHORIZATION=f"Bearer {forged}")
    accepted = api.get("/api/auth/me/", HTTP_AUTHORIZATION=f"Bearer {real}")

    assert refused.status_code == HTTPStatus.UNAUTHORIZED
    assert accepted.status_code == HTTPStatus.OK
