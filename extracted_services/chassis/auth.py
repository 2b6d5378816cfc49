"""Who is calling: a user with a JWT from the gateway, or another service.

Users: the gateway signs access tokens; every service checks them with the same key
from its configuration, and never calls the gateway to do so. The token's claims
(``user_id``, ``username``, ``is_staff``) are all a service needs to know about a user.

Services: a caller signs a short-lived token with the service key and sends it as
``X-Service-Token``; only endpoints guarded by ``IsInternalService`` accept it.
"""

from datetime import UTC, datetime, timedelta

import jwt
from django.conf import settings
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework_simplejwt.authentication import JWTStatelessUserAuthentication

# Names and messages, not secrets (ruff's S105 guesses from the word "TOKEN").
SERVICE_TOKEN_HEADER = "X-Service-Token"  # noqa: S105
SERVICE_AUDIENCE = "shop-internal"
SERVICE_TOKEN_LIFETIME = timedelta(seconds=60)
SERVICE_TOKEN_MISSING = "This endpoint is for other services: send X-Service-Token."  # noqa: S105
SERVICE_TOKEN_INVALID = "The service token is invalid or expired."  # noqa: S105


class JWTAuthentication(JWTStatelessUserAuthentication):
    """The gateway's access token, checked here: signature, expiry, audience, issuer.

    Stateless: the user is a ``TokenUser`` built from the claims, with no database
    lookup, because users live in the gateway's database, not in this service's.
    """


class IsStaffOrReadOnly(BasePermission):
    """Anyone may read; only staff may write (401 anonymous, 403 not staff)."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_staff)


def service_token(caller: str | None = None) -> str:
    """A token that says "this call comes from service ``caller``", for 60 seconds."""
    now = datetime.now(UTC)
    claims = {
        "sub": caller or settings.SERVICE_NAME,
        "aud": SERVICE_AUDIENCE,
        "iat": now,
        "exp": now + SERVICE_TOKEN_LIFETIME,
    }
    return jwt.encode(claims, settings.SERVICE_SIGNING_KEY, algorithm="HS256")


def service_caller(token: str) -> str:
    """The calling service's name; raises ``jwt.InvalidTokenError`` when invalid."""
    claims = jwt.decode(
        token,
        settings.SERVICE_SIGNING_KEY,
        algorithms=["HS256"],
        audience=SERVICE_AUDIENCE,
        options={"require": ["exp", "sub", "aud"]},
    )
    return claims["sub"]


class IsInternalService(BasePermission):
    """Only another service may call: a valid ``X-Service-Token`` is required."""

    def has_permission(self, request, view) -> bool:
        token = request.headers.get(SERVICE_TOKEN_HEADER)
        if not token:
            raise exceptions.NotAuthenticated(SERVICE_TOKEN_MISSING)
        try:
            request.service_caller = service_caller(token)
        except jwt.InvalidTokenError as exc:
            raise exceptions.PermissionDenied(SERVICE_TOKEN_INVALID) from exc
        return True
