"""Users' JWTs from the gateway, checked here without a database; service tokens."""

from datetime import UTC, datetime, timedelta
from http import HTTPStatus

import jwt
import pytest
from django.conf import settings

from extracted_services.chassis.auth import (
    SERVICE_AUDIENCE,
    SERVICE_TOKEN_INVALID,
    SERVICE_TOKEN_MISSING,
    service_caller,
    service_token,
)
from extracted_services.chassis.problems import CONTENT_TYPE

from .conftest import user_token

pytestmark = pytest.mark.django_db
AN_HOUR_AGO = datetime.now(UTC) - timedelta(hours=1)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_valid_token_is_a_user_from_its_claims(api_client, django_assert_num_queries):
    """id, username and is_staff come from the token, with no database query."""
    with django_assert_num_queries(0):
        response = api_client.get("/api/whoami/", headers=bearer(user_token()))

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"id": 7, "username": "ada", "is_staff": False}


def test_a_staff_claim_makes_a_staff_user(api_client):
    """is_staff is whatever the gateway wrote in the token."""
    response = api_client.get("/api/whoami/", headers=bearer(user_token(is_staff=True)))

    assert response.json()["is_staff"] is True


BAD_TOKENS = {
    "expired": lambda: user_token(iat=AN_HOUR_AGO, exp=AN_HOUR_AGO),
    "wrong signature": lambda: user_token(key="not-the-gateway-key-0123456789-abcdef"),
    "wrong audience": lambda: user_token(aud="some-other-shop"),
    "wrong issuer": lambda: user_token(iss="someone-else"),
    "not a jwt": lambda: "not.a.jwt",
}


@pytest.mark.parametrize("make_token", BAD_TOKENS.values(), ids=BAD_TOKENS.keys())
def test_a_bad_token_is_a_401_problem(api_client, make_token):
    """Expired, forged, or meant for someone else: 401, as problem+json."""
    response = api_client.get("/api/whoami/", headers=bearer(make_token()))

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["Content-Type"] == CONTENT_TYPE
    assert response.json()["status"] == HTTPStatus.UNAUTHORIZED
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_no_token_on_a_protected_view_is_a_401(api_client):
    """Anonymous: 401 with the scheme to use."""
    response = api_client.get("/api/whoami/")

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["Content-Type"] == CONTENT_TYPE


def test_anyone_may_read_a_staff_resource(api_client):
    """IsStaffOrReadOnly: reading needs no token."""
    assert api_client.get("/api/shelf/").status_code == HTTPStatus.OK


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, HTTPStatus.UNAUTHORIZED),
        (bearer(user_token()), HTTPStatus.FORBIDDEN),
        (bearer(user_token(is_staff=True)), HTTPStatus.CREATED),
    ],
    ids=["anonymous", "customer", "staff"],
)
def test_only_staff_may_write(api_client, headers, status):
    """Writes: 401 anonymous, 403 a customer, allowed for staff."""
    response = api_client.post("/api/shelf/", {}, format="json", headers=headers)

    assert response.status_code == status


def test_a_service_token_lets_a_service_in(api_client):
    """A fresh service token is accepted, and names the caller."""
    response = api_client.get(
        "/internal/ping/", headers={"X-Service-Token": service_token("orders")}
    )

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"caller": "orders"}


def test_a_service_token_names_this_service_by_default():
    """Without a caller, the token says it comes from settings.SERVICE_NAME."""
    assert service_caller(service_token()) == settings.SERVICE_NAME


def test_a_service_token_lives_sixty_seconds():
    """Short-lived: stolen from a log, it is soon worthless."""
    claims = jwt.decode(
        service_token("orders"),
        settings.SERVICE_SIGNING_KEY,
        algorithms=["HS256"],
        audience=SERVICE_AUDIENCE,
    )

    assert claims["exp"] - claims["iat"] == 60


def test_no_service_token_is_a_401(api_client):
    """Missing X-Service-Token: 401 saying what to send."""
    response = api_client.get("/internal/ping/")

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["Content-Type"] == CONTENT_TYPE
    assert response.json()["detail"] == SERVICE_TOKEN_MISSING


def service_claims(**overrides) -> dict:
    now = datetime.now(UTC)
    return {
        "sub": "orders",
        "aud": SERVICE_AUDIENCE,
        "iat": now,
        "exp": now + timedelta(seconds=60),
        **overrides,
    }


REFUSED = {
    "wrong key": lambda: jwt.encode(
        service_claims(), "not-the-service-key-0123456789-abcdef", algorithm="HS256"
    ),
    "expired": lambda: jwt.encode(
        service_claims(iat=AN_HOUR_AGO, exp=AN_HOUR_AGO),
        settings.SERVICE_SIGNING_KEY,
        algorithm="HS256",
    ),
    "wrong audience": lambda: jwt.encode(
        service_claims(aud="shop"), settings.SERVICE_SIGNING_KEY, algorithm="HS256"
    ),
    "a user's token": lambda: user_token(),
}


@pytest.mark.parametrize("make_token", REFUSED.values(), ids=REFUSED.keys())
def test_a_bad_service_token_is_a_403(api_client, make_token):
    """Forged, expired, or not for internal calls: 403 problem."""
    response = api_client.get(
        "/internal/ping/", headers={"X-Service-Token": make_token()}
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response["Content-Type"] == CONTENT_TYPE
    assert response.json()["detail"] == SERVICE_TOKEN_INVALID
