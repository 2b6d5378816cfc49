"""The auth API: sign up, JWT pairs, refresh, who am I, and the sign-in rate limit."""

from http import HTTPStatus

import httpx

from .helpers import (
    PASSWORD,
    assert_field_error,
    assert_problem,
    bearer,
    obtain_tokens,
    unique,
)

USER_FIELDS = {"id", "username", "email"}
TOO_MANY_TRIES = 100  # more than any sign-in limit a test stack is started with


def test_signing_up_returns_the_new_user(api):
    """POST /api/auth/register/ is 201 with the user's id, username and email."""
    username = unique("signup")
    body = {"username": username, "email": f"{username}@example.com"}

    response = api.post("/api/auth/register/", json={**body, "password": PASSWORD})

    assert response.status_code == HTTPStatus.CREATED
    created = response.json()
    assert set(created) == USER_FIELDS
    assert isinstance(created["id"], int)
    assert {k: created[k] for k in body} == body


def test_a_weak_password_is_refused(api):
    """A password Django's validators reject is a 400 naming ``password``."""
    username = unique("weak")
    response = api.post(
        "/api/auth/register/",
        json={"username": username, "email": f"{username}@x.org", "password": "123"},
    )

    assert_field_error(response, "password")


def test_a_taken_username_is_refused(api, user):
    """Signing up with a username in use is a 400 naming ``username``."""
    response = api.post(
        "/api/auth/register/",
        json={
            "username": user.username,
            "email": "x@example.com",
            "password": PASSWORD,
        },
    )

    assert_field_error(response, "username")


def test_the_right_password_gets_a_token_pair(api, user):
    """POST /api/auth/token/ with valid credentials is 200 {access, refresh}."""
    response = api.post(
        "/api/auth/token/", json={"username": user.username, "password": PASSWORD}
    )

    assert response.status_code == HTTPStatus.OK
    assert set(response.json()) == {"access", "refresh"}


def test_a_wrong_password_is_a_401(api, user):
    """Wrong credentials are a 401 problem, not a 400 or a 500."""
    response = api.post(
        "/api/auth/token/", json={"username": user.username, "password": "nope"}
    )

    assert_problem(response, HTTPStatus.UNAUTHORIZED)


def test_signing_in_too_often_is_a_429_problem(stack):
    """Sign-in attempts past the rate limit are a 429 problem with Retry-After."""
    url = stack.throttled_base_url or stack.base_url
    credentials = {"username": unique("hammer"), "password": "not-the-password"}
    with httpx.Client(base_url=url, timeout=15) as client:
        first = client.post("/api/auth/token/", json=credentials)
        for _ in range(TOO_MANY_TRIES):
            response = client.post("/api/auth/token/", json=credentials)
            if response.status_code != HTTPStatus.UNAUTHORIZED:
                break

    assert first.status_code == HTTPStatus.UNAUTHORIZED
    assert_problem(response, HTTPStatus.TOO_MANY_REQUESTS)
    assert int(response.headers["retry-after"]) > 0


def test_a_refresh_token_gets_a_new_access_token(api, user):
    """POST /api/auth/token/refresh/ is 200 {access}, and the new token works."""
    response = api.post("/api/auth/token/refresh/", json={"refresh": user.refresh})

    assert response.status_code == HTTPStatus.OK
    assert "access" in response.json()
    me = api.get("/api/auth/me/", headers=bearer(response.json()["access"]))
    assert me.json()["username"] == user.username


def test_a_bad_refresh_token_is_a_401(api):
    """A refresh token that is not one is a 401 problem."""
    response = api.post("/api/auth/token/refresh/", json={"refresh": "not.a.token"})

    assert_problem(response, HTTPStatus.UNAUTHORIZED)


def test_an_access_token_cannot_be_used_to_refresh(api, user):
    """Only a refresh token refreshes: an access token in its place is a 401."""
    response = api.post("/api/auth/token/refresh/", json={"refresh": user.access})

    assert_problem(response, HTTPStatus.UNAUTHORIZED)


def test_me_names_the_signed_in_user(api, user):
    """GET /api/auth/me/ with a token is 200 {id, username, email}."""
    response = api.get("/api/auth/me/", headers=user.headers)

    assert response.status_code == HTTPStatus.OK
    me = response.json()
    assert set(me) == USER_FIELDS
    assert (me["username"], me["email"]) == (user.username, user.email)


def test_me_without_a_token_is_a_401(api):
    """GET /api/auth/me/ anonymously is a 401 problem."""
    assert_problem(api.get("/api/auth/me/"), HTTPStatus.UNAUTHORIZED)


def test_me_with_a_forged_token_is_a_401(api, user):
    """A token whose signature does not verify is a 401 problem."""
    header, payload, _ = user.access.split(".")

    response = api.get("/api/auth/me/", headers=bearer(f"{header}.{payload}.forged"))

    assert_problem(response, HTTPStatus.UNAUTHORIZED)


def test_a_new_users_token_pair_works(api):
    """Tokens from signing in right after signing up authenticate the new user."""
    username = unique("fresh")
    api.post(
        "/api/auth/register/",
        json={"username": username, "email": f"{username}@x.org", "password": PASSWORD},
    )

    tokens = obtain_tokens(api, username, PASSWORD)

    me = api.get("/api/auth/me/", headers=bearer(tokens["access"]))
    assert me.json()["username"] == username
