"""Tokens: the gateway's JWTs, checked here as the Django services check them."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from http import HTTPStatus

import pytest
from fastapi.testclient import TestClient

from extracted_services.recommendations import store
from extracted_services.recommendations.dependencies import (
    NOT_AUTHENTICATED,
    NOT_STAFF,
    TOKEN_INVALID,
)
from extracted_services.recommendations.events import OrderEvent
from extracted_services.recommendations.main import create_app
from extracted_services.recommendations.problems import CONTENT_TYPE

from .conftest import (
    JWT_PUBLIC_KEY,
    OTHER_PRIVATE_KEY,
    hand_signed,
    order_event,
    service_token,
    user_token,
)

OLD_DEFAULT_JWT_KEY = b"dev-only-jwt-signing-key-change-me-0123456789"  # refused

URL = "/api/recommendations/train/"
AN_HOUR_AGO = datetime.now(UTC) - timedelta(hours=1)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_recommendations_are_public(client):
    """Reading needs no token at all."""
    response = client.get("/api/recommendations/", params={"product_id": 1})

    assert response.status_code == HTTPStatus.OK


def test_no_token_is_a_401_problem(client):
    response = client.post(URL)

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.headers["content-type"] == CONTENT_TYPE
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["detail"] == NOT_AUTHENTICATED


BAD_TOKENS = {
    "expired": lambda: user_token(iat=AN_HOUR_AGO, exp=AN_HOUR_AGO, is_staff=True),
    "wrong signature": lambda: user_token(key=OTHER_PRIVATE_KEY, is_staff=True),
    "alg none": lambda: hand_signed("none", b"", is_staff=True),
    # Algorithm confusion: the public key, which anyone may have, as an HMAC secret.
    "hs256 with the public key": lambda: hand_signed(
        "HS256", JWT_PUBLIC_KEY.encode(), is_staff=True
    ),
    "the old default key": lambda: hand_signed(
        "HS256", OLD_DEFAULT_JWT_KEY, is_staff=True
    ),
    "a service token": lambda: service_token(),
    "wrong audience": lambda: user_token(aud="some-other-shop", is_staff=True),
    "wrong issuer": lambda: user_token(iss="someone-else", is_staff=True),
    "a refresh token": lambda: user_token(token_type="refresh", is_staff=True),
    "not a jwt": lambda: "not.a.jwt",
    # Signed with the right key, but claims the gateway never writes: no 500.
    "a user id that is no number": lambda: user_token(user_id="abc", is_staff=True),
    "a user id that is a list": lambda: user_token(user_id=[7], is_staff=True),
}


@pytest.mark.parametrize("make_token", BAD_TOKENS.values(), ids=BAD_TOKENS.keys())
def test_a_bad_token_is_a_401_problem(client, make_token):
    """Expired, forged, meant for someone else, or not an access token: 401."""
    response = client.post(URL, headers=bearer(make_token()))

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.headers["content-type"] == CONTENT_TYPE
    assert response.json()["detail"] == TOKEN_INVALID


def test_without_the_public_key_every_token_is_refused(settings):
    """Fail closed: a service with no key to check with trusts no token."""
    keyless = replace(settings, jwt_public_key=None)
    with TestClient(create_app(keyless)) as client:
        response = client.post(URL, headers=bearer(user_token(is_staff=True)))

    assert response.status_code == HTTPStatus.UNAUTHORIZED


def test_a_customer_is_a_403_problem(client):
    """A valid token without the staff claim: signed in, not allowed."""
    response = client.post(URL, headers=bearer(user_token()))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json()["detail"] == NOT_STAFF


def test_only_a_true_staff_claim_is_staff(client):
    """``"is_staff": "false"`` is a string, truthy in Python, and not staff."""
    response = client.post(URL, headers=bearer(user_token(is_staff="false")))

    assert response.status_code == HTTPStatus.FORBIDDEN


def test_staff_retrain_and_the_next_request_uses_the_new_model(
    client, settings, connection
):
    """POST .../train/ as staff: a new version, served from the next request on."""
    event = order_event(1, [10, 20])
    store.event_apply(connection, event=OrderEvent.model_validate(event))

    response = client.post(URL, headers=bearer(user_token(is_staff=True)))

    assert response.status_code == HTTPStatus.OK
    trained = response.json()
    assert trained["orders_seen"] == 1
    answer = client.get("/api/recommendations/", params={"product_id": 10}).json()
    assert answer["model"] == trained
    assert [r["product_id"] for r in answer["results"]] == [20]
