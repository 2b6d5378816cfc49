"""Who is calling: a user with the gateway's JWT, checked here without asking anyone.

The same checks as the Django services' ``chassis/auth.py`` (SimpleJWT): RS256 only,
with the gateway's public key (JWT_PUBLIC_KEY), the audience and issuer, expiry, and
an *access* token (a refresh token is refused). The claims say all we need:
``user_id``, ``username``, ``is_staff``. ``staff_required`` guards the API: 401
anonymous, 403 not staff.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from http import HTTPStatus
from typing import ParamSpec, TypeVar

import jwt
from apiflask import abort
from flask import current_app, g, request

# The words DRF and SimpleJWT use, so both stacks' problems read alike.
NOT_AUTHENTICATED = "Authentication credentials were not provided."
TOKEN_INVALID = "Given token not valid for any token type"  # noqa: S105
NOT_STAFF = "You do not have permission to perform this action."
WWW_AUTHENTICATE = {"WWW-Authenticate": 'Bearer realm="api"'}
ACCESS = "access"

P = ParamSpec("P")
R = TypeVar("R")


class InvalidToken(Exception):
    """The token is not one of the gateway's valid access tokens."""


@dataclass(frozen=True)
class TokenUser:
    id: int
    username: str
    is_staff: bool


def user_from_token(token: str) -> TokenUser:
    """The user a gateway access token names; raises InvalidToken."""
    config = current_app.config
    if not config["JWT_PUBLIC_KEY"]:  # fail closed: no key, no token is good
        raise InvalidToken("no public key to check tokens with")
    try:
        claims = jwt.decode(
            token,
            config["JWT_PUBLIC_KEY"],
            # One algorithm: never "none", nor HS256 with the public key as secret.
            algorithms=["RS256"],
            audience=config["JWT_AUDIENCE"],
            issuer=config["JWT_ISSUER"],
            options={"require": ["exp", "user_id", "token_type"]},
        )
    except jwt.InvalidTokenError as exc:
        raise InvalidToken(str(exc)) from exc
    if claims["token_type"] != ACCESS:
        raise InvalidToken("not an access token")
    try:  # signed is not well-formed: an id that is not a number is no user
        user_pk = int(claims["user_id"])
    except (TypeError, ValueError) as exc:
        raise InvalidToken("the user id is not a number") from exc
    return TokenUser(
        id=user_pk,
        username=str(claims.get("username", "")),
        # Only JSON's true is staff: the string "false" is truthy in Python.
        is_staff=claims.get("is_staff") is True,
    )


def bearer_token() -> str | None:
    """The token of an ``Authorization: Bearer ...`` header, if any."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def staff_required(view: Callable[P, R]) -> Callable[P, R]:
    """The API's guard: 401 problem without a valid token, 403 for a customer."""

    @wraps(view)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
        token = bearer_token()
        if token is None:
            abort(HTTPStatus.UNAUTHORIZED, NOT_AUTHENTICATED, headers=WWW_AUTHENTICATE)
        try:
            g.user = user_from_token(token)
        except InvalidToken:
            abort(HTTPStatus.UNAUTHORIZED, TOKEN_INVALID, headers=WWW_AUTHENTICATE)
        if not g.user.is_staff:
            abort(HTTPStatus.FORBIDDEN, NOT_STAFF)
        return view(*args, **kwargs)

    return guarded
