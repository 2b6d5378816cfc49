"""How a step talks to the shop: requests with expected answers, forms, tokens."""

import re
import time
from http import HTTPStatus
from typing import Any

OK = (HTTPStatus.OK,)
REDIRECT = (HTTPStatus.FOUND,)
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN_LIFETIME = 240  # renew the access token before SimpleJWT's 5 minutes are up


class ScenarioError(Exception):
    """A page did not hold what the next request needs (a form, a token)."""


def call(visitor, method: str, path: str, *, name: str, expect=OK, **kwargs) -> Any:
    """One request, recorded under ``name``; any status but ``expect`` is an error."""
    with visitor.client.request(
        method,
        path,
        name=name,
        catch_response=True,
        context=visitor.context(),
        **kwargs,
    ) as response:
        if response.status_code in expect:
            response.success()
        elif response.status_code == 0:  # no answer at all: refused, reset, timed out
            response.failure(f"no answer: {response.error!r}")
        else:
            response.failure(f"HTTP {response.status_code}")
        return response


def page(visitor, path: str, *, name: str, **kwargs) -> str:
    """GET an HTML page; keep the CSRF token of its forms for the next POST."""
    response = call(visitor, "GET", path, name=name, **kwargs)
    html = (response.text or "") if response.status_code == HTTPStatus.OK else ""
    if match := CSRF_FIELD.search(html):
        visitor.state["csrf"] = match.group(1)
    return html


def post_form(visitor, path: str, fields: dict, *, name: str, expect=REDIRECT) -> Any:
    """POST a form as a browser does, with the CSRF token of the last page seen."""
    if "csrf" not in visitor.state:
        raise ScenarioError(f"no CSRF token for {name}: the last page had no form")
    data = {**fields, "csrfmiddlewaretoken": visitor.state["csrf"]}
    return call(
        visitor,
        "POST",
        path,
        name=name,
        expect=expect,
        data=data,
        allow_redirects=False,
    )


def hidden_value(html: str, field: str) -> str:
    match = re.search(rf'name="{field}"[^>]*value="([^"]*)"', html)
    if match is None:
        raise ScenarioError(f"the page has no {field!r} field")
    return match.group(1)


# ---------------------------------------------------------------- accounts


def sign_in_page(visitor) -> None:
    """Sign in through the HTML form, with the user's own account."""
    username, password = visitor.account()
    page(visitor, "/accounts/login/", name="/accounts/login/")
    fields = {"username": username, "password": password}
    post_form(visitor, "/accounts/login/", fields, name="/accounts/login/ (POST)")
    visitor.state.pop("csrf")  # Django rotates the token at sign-in


def bearer(visitor) -> dict[str, str]:
    """The user's API token, renewed from its refresh token when it is near expiry."""
    if (
        time.monotonic() - visitor.state.get("token_at", -TOKEN_LIFETIME)
        >= TOKEN_LIFETIME
    ):
        body = {"refresh": visitor.refresh_token()}
        response = call(
            visitor,
            "POST",
            "/api/auth/token/refresh/",
            name="/api/auth/token/refresh/",
            json=body,
        )
        if response.status_code != HTTPStatus.OK:
            raise ScenarioError("the refresh token was refused")
        visitor.state["access"] = response.json()["access"]
        visitor.state["token_at"] = time.monotonic()
    return {"Authorization": f"Bearer {visitor.state['access']}"}
