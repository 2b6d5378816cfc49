"""The one outside service we call: the gateway, to trade a password for tokens.

Only the page's sign-in form needs it (the API takes the token the client sends).
Every call has a timeout and carries the request id, as the Django services' do.
"""

from http import HTTPStatus

import httpx
from flask import current_app

from .observability import HEADER, current_request_id


class GatewayUnavailable(Exception):
    """The gateway did not answer in time."""


def _post(path: str, body: dict[str, str]) -> dict[str, str] | None:
    """The JSON answer of a 200, None for any refusal; raises GatewayUnavailable."""
    config = current_app.config
    try:
        response = httpx.post(
            f"{config['GATEWAY_URL']}{path}",
            json=body,
            headers={HEADER: current_request_id.get()},
            timeout=config["HTTP_TIMEOUT"],
        )
    except httpx.TransportError as exc:
        raise GatewayUnavailable(repr(exc)) from exc
    if response.status_code != HTTPStatus.OK:
        return None
    return dict(response.json())


def obtain_tokens(*, username: str, password: str) -> dict[str, str] | None:
    """``{access, refresh}`` for a right password, None for a wrong one."""
    return _post("/api/auth/token/", {"username": username, "password": password})


def refresh_tokens(*, refresh: str) -> dict[str, str] | None:
    """A new access token (and refresh token), None when the refresh token expired."""
    answer = _post("/api/auth/token/refresh/", {"refresh": refresh})
    return None if answer is None else {"refresh": refresh, **answer}
