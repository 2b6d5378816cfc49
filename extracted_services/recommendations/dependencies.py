"""FastAPI dependencies: the app's settings and model, and who is calling.

Tokens are the gateway's access JWTs, checked exactly as the Django services check
them (extracted_services/chassis/auth.py, SimpleJWT's settings there): RS256 only,
with the gateway's public key, audience and issuer, an access token, not expired.
The claims are the whole user: no call to the gateway, no database.
"""

from dataclasses import dataclass
from http import HTTPStatus
from typing import Annotated

import jwt
from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from .config import Settings
from .serving import ModelHolder

# Messages, not secrets (ruff's S105 guesses from the word "token").
NOT_AUTHENTICATED = "Authentication credentials were not provided."
TOKEN_INVALID = "Given token not valid for any token type"  # noqa: S105 (SimpleJWT's)
NOT_STAFF = "You do not have permission to perform this action."
BEARER = {"WWW-Authenticate": 'Bearer realm="api"'}

_bearer = HTTPBearer(auto_error=False)


@dataclass(frozen=True)
class TokenUser:
    id: int
    username: str
    is_staff: bool


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_models(request: Request) -> ModelHolder:
    models: ModelHolder = request.app.state.models
    return models


def current_user(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> TokenUser:
    """The caller, from a valid access token; 401 without one."""
    if credentials is None:
        raise HTTPException(HTTPStatus.UNAUTHORIZED, NOT_AUTHENTICATED, BEARER)
    if not settings.jwt_public_key:  # fail closed: no key, no token is good
        raise HTTPException(HTTPStatus.UNAUTHORIZED, TOKEN_INVALID, BEARER)
    try:
        claims = jwt.decode(
            credentials.credentials,
            settings.jwt_public_key,
            # One algorithm: never "none", nor HS256 with the public key as secret.
            algorithms=["RS256"],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            options={"require": ["exp", "user_id"]},
        )
    except jwt.InvalidTokenError as exc:
        raise HTTPException(HTTPStatus.UNAUTHORIZED, TOKEN_INVALID, BEARER) from exc
    if claims.get("token_type") != "access":  # a refresh token is not a pass
        raise HTTPException(HTTPStatus.UNAUTHORIZED, TOKEN_INVALID, BEARER)
    try:  # signed is not well-formed: an id that is not a number is no user
        user_pk = int(claims["user_id"])
    except (TypeError, ValueError) as exc:
        raise HTTPException(HTTPStatus.UNAUTHORIZED, TOKEN_INVALID, BEARER) from exc
    return TokenUser(
        id=user_pk,
        username=str(claims.get("username", "")),
        # Only JSON's true is staff: the string "false" is truthy in Python.
        is_staff=claims.get("is_staff") is True,
    )


def staff_user(user: Annotated[TokenUser, Depends(current_user)]) -> TokenUser:
    """A staff caller: 401 anonymous, 403 signed in but not staff."""
    if not user.is_staff:
        raise HTTPException(HTTPStatus.FORBIDDEN, NOT_STAFF)
    return user


SettingsDep = Annotated[Settings, Depends(get_settings)]
ModelsDep = Annotated[ModelHolder, Depends(get_models)]
StaffDep = Annotated[TokenUser, Depends(staff_user)]
