"""Tokens for tests: as the gateway and a calling service make them, and the forgeries
every service must refuse (docs/security.md, "How tokens are trusted").

Django-free, so that a service's own tests and the contract tests against a running
stack share it: each passes in the folder of keys of the stack under test.
"""

import base64
import functools
import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from . import keys

# What the repository's settings once defaulted to: a token signed with it must
# never work again, on any port.
OLD_DEFAULT_JWT_KEY = "dev-only-jwt-signing-key-change-me-0123456789"
AUDIENCE = "shop"
ISSUER = "shop-gateway"
ACCESS_LIFETIME = timedelta(minutes=5)
AN_HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class StackKeys:
    """The keys of one stack, read from its ``KEYS_DIR``."""

    directory: Path

    @property
    def jwt_private(self) -> str:
        return (self.directory / keys.JWT_PRIVATE).read_text()

    @property
    def jwt_public(self) -> str:
        return (self.directory / keys.JWT_PUBLIC).read_text()

    def service_private(self, name: str) -> str:
        return keys.service_private_key_file(self.directory, name).read_text()

    def service_public(self, name: str) -> str:
        return keys.service_public_key_file(self.directory, name).read_text()


def user_claims(
    *, user_id: int = 7, username: str = "ada", is_staff: bool = False, **overrides: Any
) -> dict[str, Any]:
    """An access token's claims as the gateway writes them; ``overrides`` win."""
    now = datetime.now(UTC)
    return {
        "token_type": "access",
        "jti": uuid.uuid4().hex,
        "iat": now,
        "exp": now + ACCESS_LIFETIME,
        "aud": AUDIENCE,
        "iss": ISSUER,
        "user_id": user_id,
        "username": username,
        "is_staff": is_staff,
        **overrides,
    }


def user_token(stack: StackKeys, **claims: Any) -> str:
    """A user's access token signed with the stack's own JWT key (RS256)."""
    return jwt.encode(user_claims(**claims), stack.jwt_private, algorithm="RS256")


def service_token(
    stack: StackKeys, *, caller: str, audience: str, **overrides: Any
) -> str:
    """A service token from ``caller`` to ``audience``, signed with the caller's key."""
    now = datetime.now(UTC)
    claims = {
        "iss": caller,
        "aud": audience,
        "token_type": "service",
        "iat": now,
        "exp": now + timedelta(seconds=60),
        **overrides,
    }
    return jwt.encode(claims, stack.service_private(caller), algorithm="EdDSA")


# The names of forged_user_tokens(), for tests to parametrize over.
USER_FORGERIES = (
    "expired",
    "another key",
    "alg none",
    "another audience",
    "another issuer",
    "hs256 with the public key",
    "the old default key",
    "a refresh token",
    "a service token",
)


def forged_user_tokens(
    stack: StackKeys, *, audience: str, user_id: int = 7
) -> dict[str, str]:
    """Tokens that must not pass as a user's, each claiming a staff user.

    ``audience`` is the service a wrongly used service token is addressed to;
    ``user_id`` a user who exists there, so that only the token can be the reason.
    """
    staff = user_claims(is_staff=True, user_id=user_id)
    past = datetime.now(UTC) - AN_HOUR
    return {
        "expired": user_token(
            stack, user_id=user_id, is_staff=True, iat=past, exp=past
        ),
        "another key": jwt.encode(staff, _other_rsa_pem(), algorithm="RS256"),
        "alg none": _compact({"alg": "none", "typ": "JWT"}, staff, b""),
        "another audience": user_token(
            stack, user_id=user_id, is_staff=True, aud="another-shop"
        ),
        "another issuer": user_token(
            stack, user_id=user_id, is_staff=True, iss="someone-else"
        ),
        # Algorithm confusion: the public key, which everyone has, as an HMAC secret.
        "hs256 with the public key": _hs256(staff, stack.jwt_public.encode()),
        "the old default key": _hs256(staff, OLD_DEFAULT_JWT_KEY.encode()),
        "a refresh token": user_token(
            stack,
            user_id=user_id,
            is_staff=True,
            token_type="refresh",  # noqa: S106 (a claim, not a password)
            exp=datetime.now(UTC) + AN_HOUR,
        ),
        "a service token": service_token(stack, caller="orders", audience=audience),
    }


def forged_service_tokens(
    stack: StackKeys, *, caller: str, audience: str
) -> dict[str, str]:
    """Tokens that must not pass as ``caller``'s call to ``audience``."""
    good = {
        "iss": caller,
        "aud": audience,
        "token_type": "service",
        "iat": datetime.now(UTC),
        "exp": datetime.now(UTC) + timedelta(seconds=60),
    }
    past = datetime.now(UTC) - AN_HOUR
    return {
        "expired": service_token(
            stack, caller=caller, audience=audience, iat=past, exp=past
        ),
        "another key": jwt.encode(good, _other_ed25519_pem(), algorithm="EdDSA"),
        "alg none": _compact({"alg": "none", "typ": "JWT"}, good, b""),
        "another audience": service_token(
            stack, caller=caller, audience="another-service"
        ),
        "hs256 with the caller's public key": _hs256(
            good, stack.service_public(caller).encode()
        ),
        "a user's token": user_token(stack, is_staff=True),
        "not a service token": service_token(
            stack,
            caller=caller,
            audience=audience,
            token_type="access",  # noqa: S106 (a claim, not a password)
        ),
    }


def _hs256(claims: dict[str, Any], secret: bytes) -> str:
    # By hand: PyJWT refuses to use a PEM key as an HMAC secret, an attacker does not.
    def sign(message: bytes) -> bytes:
        return hmac.new(secret, message, hashlib.sha256).digest()

    return _compact({"alg": "HS256", "typ": "JWT"}, claims, sign)


def _compact(header: dict[str, str], claims: dict[str, Any], sign: Any) -> str:
    """header.payload.signature, with ``sign(message) -> bytes`` or no signature."""
    payload = {
        name: int(value.timestamp()) if isinstance(value, datetime) else value
        for name, value in claims.items()
    }
    message = b".".join(_b64(json.dumps(part).encode()) for part in (header, payload))
    signature = sign(message) if callable(sign) else sign
    return (message + b"." + _b64(signature)).decode()


def _b64(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


@functools.cache
def _other_rsa_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=keys.RSA_KEY_BITS)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@functools.cache
def _other_ed25519_pem() -> str:
    return (
        ed25519.Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
