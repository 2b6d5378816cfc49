"""JWTs: get a pair, refresh the access token, and ask /api/auth/me/ who you are."""

from http import HTTPStatus

import jwt
import pytest
from django.conf import settings

from tests.factories import TEST_PASSWORD, UserFactory

from .helpers import assert_problem

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/auth/token/"
REFRESH_URL = "/api/auth/token/refresh/"
ME_URL = "/api/auth/me/"


@pytest.fixture
def tokens(api_client, user):
    response = api_client.post(
        TOKEN_URL, {"username": user.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == HTTPStatus.OK
    return response.json()


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_the_right_password_returns_an_access_and_a_refresh_token(api_client, user):
    """A 200 with exactly the two tokens."""
    response = api_client.post(
        TOKEN_URL, {"username": user.username, "password": TEST_PASSWORD}
    )

    assert response.status_code == HTTPStatus.OK
    assert set(response.json()) == {"access", "refresh"}


def test_the_access_token_is_issued_for_the_shop_audience(tokens, user):
    """Signed with the private key, checked with the public one (RS256); it names
    its audience and issuer, and lives 5 minutes, as the gateway's tokens."""
    public_key = settings.SIMPLE_JWT["VERIFYING_KEY"]
    claims = jwt.decode(
        tokens["access"],
        public_key,
        algorithms=["RS256"],
        audience="shop",
        issuer="shop-monolith",
    )

    assert jwt.get_unverified_header(tokens["access"])["alg"] == "RS256"
    assert claims["token_type"] == "access"
    assert str(claims["user_id"]) == str(user.id)
    assert claims["exp"] - claims["iat"] == 5 * 60
    assert "PRIVATE" not in public_key


def test_a_token_signed_with_the_secret_key_is_refused(api_client, user, tokens):
    """A shared secret signs nothing any more: an HS256 token made with SECRET_KEY,
    the way the monolith once signed them, is a 401."""
    claims = jwt.decode(tokens["access"], options={"verify_signature": False})
    forged = jwt.encode(claims, settings.SECRET_KEY, algorithm="HS256")

    response = api_client.get(ME_URL, **bearer(forged))

    assert_problem(response, HTTPStatus.UNAUTHORIZED)


@pytest.mark.parametrize(
    "credentials",
    [
        {"username": "user-that-exists", "password": "wrong-password"},
        {"username": "nobody", "password": TEST_PASSWORD},
    ],
    ids=["wrong-password", "unknown-user"],
)
def test_bad_credentials_are_a_401_problem(api_client, credentials):
    """A wrong password and an unknown user get the same 401 problem."""
    UserFactory(username="user-that-exists")

    response = api_client.post(TOKEN_URL, credentials)

    body = assert_problem(response, HTTPStatus.UNAUTHORIZED)
    assert body["detail"] == "No active account found with the given credentials"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_inactive_user_gets_no_token(api_client):
    """A deactivated account cannot sign in."""
    user = UserFactory(is_active=False)

    response = api_client.post(
        TOKEN_URL, {"username": user.username, "password": TEST_PASSWORD}
    )

    assert_problem(response, HTTPStatus.UNAUTHORIZED)


def test_missing_credentials_are_a_validation_problem(api_client):
    """An empty body names both fields."""
    response = api_client.post(TOKEN_URL, {})

    body = assert_problem(response, HTTPStatus.BAD_REQUEST)
    assert set(body["errors"]) == {"username", "password"}


def test_a_refresh_token_buys_a_new_access_token(api_client, tokens, user):
    """The new access token works on the API."""
    response = api_client.post(REFRESH_URL, {"refresh": tokens["refresh"]})

    assert response.status_code == HTTPStatus.OK
    assert set(response.json()) == {"access"}
    me = api_client.get(ME_URL, **bearer(response.json()["access"]))
    assert me.json()["username"] == user.username


@pytest.mark.parametrize("which", ["garbage", "access"])
def test_anything_but_a_refresh_token_is_a_401_problem(api_client, tokens, which):
    """A malformed token, or an access token in its place, cannot be refreshed."""
    token = "not.a.token" if which == "garbage" else tokens["access"]

    response = api_client.post(REFRESH_URL, {"refresh": token})

    body = assert_problem(response, HTTPStatus.UNAUTHORIZED)
    assert body["type"] == "about:blank"
    assert body["title"] == "Unauthorized"
    assert body["detail"]


def test_me_returns_the_bearer_of_the_token(api_client, tokens, user):
    """GET /api/auth/me/ with a valid access token is that user."""
    response = api_client.get(ME_URL, **bearer(tokens["access"]))

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "id": user.id,
        "username": user.username,
        "email": user.email,
    }


def test_me_without_a_token_is_a_401_problem(api_client):
    """An anonymous caller is told to authenticate with a Bearer token."""
    response = api_client.get(ME_URL)

    assert_problem(response, HTTPStatus.UNAUTHORIZED)
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("which", ["garbage", "refresh"])
def test_me_with_a_bad_token_is_a_401_problem(api_client, tokens, which):
    """A malformed token, or a refresh token used as an access token, is refused."""
    token = "not.a.token" if which == "garbage" else tokens["refresh"]

    response = api_client.get(ME_URL, **bearer(token))

    body = assert_problem(response, HTTPStatus.UNAUTHORIZED)
    assert body["detail"] == "Given token not valid for any token type"


def test_me_accepts_a_browser_session(client, user):
    """Signed in on the site, a student can browse the API without a token."""
    client.force_login(user)

    response = client.get(ME_URL)

    assert response.status_code == HTTPStatus.OK
    assert response.json()["username"] == user.username
