"""Tokens the reports API must refuse, however staff they claim to be.

The same list every service is tested with (docs/security.md, "How tokens are
trusted"), made here with this service's own test keys: the API checks users' tokens
with the gateway's public key and RS256 only.
"""

import base64
import hmac
import json
from datetime import UTC, datetime, timedelta
from http import HTTPStatus

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from extracted_services.reports.app import create_app
from extracted_services.reports.auth import TOKEN_INVALID

from .conftest import PUBLIC_KEY, rsa_pem_pair, token

URL = "/api/reports/sales/"
OLD_DEFAULT_JWT_KEY = b"dev-only-jwt-signing-key-change-me-0123456789"  # refused
AN_HOUR_AGO = datetime.now(UTC) - timedelta(hours=1)


def hand_signed(algorithm: str, secret: bytes) -> str:
    """A staff token PyJWT refuses to make: ``none``, or HS256 with a PEM secret."""
    header = {"alg": algorithm, "typ": "JWT"}
    claims = jwt.decode(token(is_staff=True), options={"verify_signature": False})
    message = b".".join(_b64(json.dumps(part).encode()) for part in (header, claims))
    signature = b"" if algorithm == "none" else hmac.digest(secret, message, "sha256")
    return (message + b"." + _b64(signature)).decode()


def _b64(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def another_key_token() -> str:
    other_private, _ = rsa_pem_pair()
    claims = jwt.decode(token(is_staff=True), options={"verify_signature": False})
    return jwt.encode(claims, other_private, algorithm="RS256")


def service_token() -> str:
    """What another service sends as X-Service-Token: its own key, not a user's pass."""
    now = datetime.now(UTC)
    claims = {
        "iss": "orders",
        "aud": "reports",
        "token_type": "service",
        "iat": now,
        "exp": now + timedelta(seconds=60),
    }
    key = ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return jwt.encode(claims, key, algorithm="EdDSA")


FORGED = {
    "expired": lambda: token(is_staff=True, iat=AN_HOUR_AGO, exp=AN_HOUR_AGO),
    "another key": another_key_token,
    "alg none": lambda: hand_signed("none", b""),
    "another audience": lambda: token(is_staff=True, aud="another-shop"),
    "another issuer": lambda: token(is_staff=True, iss="someone-else"),
    "hs256 with the public key": lambda: hand_signed("HS256", PUBLIC_KEY.encode()),
    "the old default key": lambda: hand_signed("HS256", OLD_DEFAULT_JWT_KEY),
    "a refresh token": lambda: token(is_staff=True, token_type="refresh"),
    "a service token": service_token,
}


@pytest.mark.parametrize("make_token", FORGED.values(), ids=FORGED.keys())
def test_a_forged_staff_token_is_a_401_problem(client, make_token):
    """Expired, another key, alg none, another audience, algorithm confusion: 401."""
    headers = {"Authorization": f"Bearer {make_token()}"}

    response = client.get(URL, headers=headers)

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json["detail"] == TOKEN_INVALID


def test_a_real_staff_token_passes(client):
    """The same claims, signed with the gateway's key: the check is not refusing all."""
    headers = {"Authorization": f"Bearer {token(is_staff=True)}"}

    assert client.get(URL, headers=headers).status_code == HTTPStatus.OK


def test_without_the_public_key_every_token_is_refused(app):
    """Fail closed: a service with no key to check with trusts no token."""
    keyless = create_app({**app.config, "JWT_PUBLIC_KEY": None})
    headers = {"Authorization": f"Bearer {token(is_staff=True)}"}

    response = keyless.test_client().get(URL, headers=headers)

    assert response.status_code == HTTPStatus.UNAUTHORIZED
