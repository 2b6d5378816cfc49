"""Users' JWTs from the gateway, checked here without a database; service tokens."""

from http import HTTPStatus

import jwt
import pytest
from django.conf import settings

from extracted_services.chassis import testing_tokens
from extracted_services.chassis.auth import (
    SERVICE_CALLER_REFUSED,
    SERVICE_TOKEN_INVALID,
    SERVICE_TOKEN_MISSING,
    service_caller,
    service_token,
)
from extracted_services.chassis.keys import service_public_key_file
from extracted_services.chassis.problems import CONTENT_TYPE
from extracted_services.chassis.testing_tokens import StackKeys

from .conftest import user_token

pytestmark = pytest.mark.django_db


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


def test_only_the_public_key_is_needed_to_check_a_token(api_client):
    """Users' tokens are RS256: a service checks them with the gateway's public key."""
    assert settings.SIMPLE_JWT["ALGORITHM"] == "RS256"
    assert "PUBLIC KEY" in settings.SIMPLE_JWT["VERIFYING_KEY"]
    response = api_client.get("/api/whoami/", headers=bearer(user_token()))

    assert response.status_code == HTTPStatus.OK


def stack_keys() -> StackKeys:
    return StackKeys(settings.KEYS_DIR)


BAD_TOKENS = {
    **{
        name: lambda name=name: testing_tokens.forged_user_tokens(
            stack_keys(), audience=settings.SERVICE_NAME
        )[name]
        for name in testing_tokens.USER_FORGERIES
    },
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


def orders_token(**overrides) -> str:
    """A token from orders to this service, signed with orders' own key."""
    return testing_tokens.service_token(
        stack_keys(), caller="orders", audience=settings.SERVICE_NAME, **overrides
    )


def test_a_service_token_lets_a_service_in(api_client):
    """A fresh token from a caller the view allows is accepted, and names the caller."""
    response = api_client.get(
        "/internal/ping/", headers={"X-Service-Token": orders_token()}
    )

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"caller": "orders"}


def test_a_service_token_names_this_service_and_the_one_it_calls():
    """service_token(audience): signed with this service's own key, for one callee."""
    token = service_token("catalog")

    assert service_caller(token, audience="catalog") == settings.SERVICE_NAME
    with pytest.raises(jwt.InvalidTokenError):
        service_caller(token, audience="payments")  # replayed to another service


def test_a_service_token_lives_sixty_seconds():
    """Short-lived: stolen from a log, it is soon worthless."""
    public_key = service_public_key_file(settings.KEYS_DIR, settings.SERVICE_NAME)
    claims = jwt.decode(
        service_token("catalog"),
        public_key.read_text(),
        algorithms=["EdDSA"],
        audience="catalog",
    )

    assert claims["exp"] - claims["iat"] == 60


def test_no_service_token_is_a_401(api_client):
    """Missing X-Service-Token: 401 saying what to send."""
    response = api_client.get("/internal/ping/")

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["Content-Type"] == CONTENT_TYPE
    assert response.json()["detail"] == SERVICE_TOKEN_MISSING


REFUSED = {
    name: lambda name=name: testing_tokens.forged_service_tokens(
        stack_keys(), caller="orders", audience=settings.SERVICE_NAME
    )[name]
    for name in (
        "expired",
        "another key",
        "alg none",
        "another audience",
        "hs256 with the caller's public key",
        "a user's token",
        "not a service token",
    )
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


def test_a_service_the_view_does_not_name_is_a_403(api_client):
    """A valid token from payments, where only orders may call: refused all the same."""
    token = testing_tokens.service_token(
        stack_keys(), caller="payments", audience=settings.SERVICE_NAME
    )

    response = api_client.get("/internal/ping/", headers={"X-Service-Token": token})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json()["detail"] == SERVICE_CALLER_REFUSED


def test_a_caller_name_cannot_point_at_another_file(api_client):
    """iss is checked before it names a key file: "../jwt-public" is no service."""
    token = orders_token(iss="../jwt-public")

    response = api_client.get("/internal/ping/", headers={"X-Service-Token": token})

    assert response.status_code == HTTPStatus.FORBIDDEN
