"""Who is calling: a user with a JWT from the gateway, or another service.

Users: the gateway signs access tokens with its private key (RS256); every service
checks them with the gateway's public key from its configuration, and never calls the
gateway to do so. Holding only the public key, a service can check a token but never
make one. The token's claims (``user_id``, ``username``, ``is_staff``) are all a
service needs to know about a user.

Services: each service has a key pair of its own (Ed25519, chassis/keys.py). A caller
signs a 60-second token naming itself (``iss``) and the service it calls (``aud``)
and sends it as ``X-Service-Token``; the callee checks it with the caller's public key,
then checks the caller against the view's ``allowed_callers``. docs/security.md
"How tokens are trusted" tells the whole story.
"""

import functools
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework_simplejwt.authentication import JWTStatelessUserAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.settings import api_settings

from .keys import service_private_key_file, service_public_key_file

# Names and messages, not secrets (ruff's S105 guesses from the word "TOKEN").
SERVICE_TOKEN_HEADER = "X-Service-Token"  # noqa: S105
# The browser's address, sent by a service that signs in on a browser's behalf (the
# storefront's sign-in page), so that the gateway's limit counts it per browser. The
# gateway believes it only with that service's token (gateway/on_behalf.py).
CLIENT_ADDRESS_HEADER = "X-Client-Address"
SERVICE_TOKEN_TYPE = "service"  # noqa: S105 (a claim's value, never a user's "access")
SERVICE_TOKEN_ALGORITHM = "EdDSA"  # noqa: S105
SERVICE_TOKEN_LIFETIME = timedelta(seconds=60)
SERVICE_TOKEN_MISSING = "This endpoint is for other services: send X-Service-Token."  # noqa: S105
SERVICE_TOKEN_INVALID = "The service token is invalid or expired."  # noqa: S105
SERVICE_CALLER_REFUSED = "This endpoint does not accept calls from that service."
NO_PUBLIC_KEY = "This service has no public key to check users' tokens with."
NO_SERVICE_KEY = (
    "No service key at {path}: `make run` makes var/keys/, and "
    "`python -m extracted_services.chassis.keys DIR` a folder for KEYS_DIR."
)


class JWTAuthentication(JWTStatelessUserAuthentication):
    """The gateway's access token, checked here: signature, expiry, audience, issuer.

    Stateless: the user is a ``TokenUser`` built from the claims, with no database
    lookup, because users live in the gateway's database, not in this service's.
    SimpleJWT accepts only ``ALGORITHM`` (RS256), so ``alg: none`` and an HS256 token
    signed with the public key as its secret are refused, as are refresh tokens.
    """

    def get_validated_token(self, raw_token: bytes) -> Any:
        if not api_settings.VERIFYING_KEY:
            # Fail closed: without the gateway's public key, no token is good.
            raise InvalidToken(NO_PUBLIC_KEY)
        return super().get_validated_token(raw_token)


class IsStaffOrReadOnly(BasePermission):
    """Anyone may read; only staff may write (401 anonymous, 403 not staff)."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_staff)


def sign_service_token(
    *,
    caller: str,
    audience: str,
    key: Any,
    lifetime: timedelta = SERVICE_TOKEN_LIFETIME,
) -> str:
    """A token that says "this call comes from ``caller``, for ``audience``"."""
    now = datetime.now(UTC)
    claims = {
        "iss": caller,
        "aud": audience,
        "token_type": SERVICE_TOKEN_TYPE,
        "iat": now,
        "exp": now + lifetime,
    }
    return jwt.encode(claims, key, algorithm=SERVICE_TOKEN_ALGORITHM)


def service_token(audience: str) -> str:
    """This service's token for one call to service ``audience``, with its own key."""
    path = service_private_key_file(settings.KEYS_DIR, settings.SERVICE_NAME)
    try:
        key = _private_key(path)
    except FileNotFoundError as exc:
        raise ImproperlyConfigured(NO_SERVICE_KEY.format(path=path)) from exc
    return sign_service_token(caller=settings.SERVICE_NAME, audience=audience, key=key)


def service_caller(token: str, *, audience: str | None = None) -> str:
    """The calling service's name, once its token is proven; ``audience`` is us.

    Raises ``jwt.InvalidTokenError`` when the token is not a valid service token
    for ``audience`` (by default, this service) from a service we have a key for.
    """
    # Read without checking only to learn which caller's key to check it with.
    caller = jwt.decode(token, options={"verify_signature": False}).get("iss")
    try:
        key = _public_key(service_public_key_file(settings.KEYS_DIR, str(caller)))
    except (ValueError, FileNotFoundError) as exc:
        raise jwt.InvalidTokenError(f"no key for a service named {caller!r}") from exc
    claims = jwt.decode(
        token,
        key,
        algorithms=[SERVICE_TOKEN_ALGORITHM],
        audience=audience or settings.SERVICE_NAME,
        issuer=caller,
        options={"require": ["exp", "iat", "iss", "aud", "token_type"]},
    )
    if claims["token_type"] != SERVICE_TOKEN_TYPE:
        raise jwt.InvalidTokenError("not a service token")
    return str(caller)


# Keys are read once per process (lru_cache keeps no failure: a key made later counts).
@functools.lru_cache(maxsize=32)
def _private_key(path: Path) -> Any:
    return serialization.load_pem_private_key(path.read_bytes(), password=None)


@functools.lru_cache(maxsize=32)
def _public_key(path: Path) -> Any:
    return serialization.load_pem_public_key(path.read_bytes())


class IsInternalService(BasePermission):
    """Only the services a view names in ``allowed_callers`` may call it.

    401 without ``X-Service-Token``; 403 for an invalid one, or a valid one from a
    service the view does not name. A view that names none accepts no one.
    """

    def has_permission(self, request, view) -> bool:
        token = request.headers.get(SERVICE_TOKEN_HEADER)
        if not token:
            raise exceptions.NotAuthenticated(SERVICE_TOKEN_MISSING)
        try:
            caller = service_caller(token)
        except jwt.InvalidTokenError as exc:
            raise exceptions.PermissionDenied(SERVICE_TOKEN_INVALID) from exc
        if caller not in getattr(view, "allowed_callers", ()):
            raise exceptions.PermissionDenied(SERVICE_CALLER_REFUSED)
        request.service_caller = caller
        return True
