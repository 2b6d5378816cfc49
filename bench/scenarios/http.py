"""How a step talks to the shop: requests with expected answers, forms, tokens."""

import re
import time
from http import HTTPStatus
from typing import Any

OK = (HTTPStatus.OK,)
REDIRECT = (HTTPStatus.FOUND,)
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN_LIFETIME = 240  # renew the access token before SimpleJWT's 5 minutes are up
SIGN_IN_PATH = "/accounts/login/"
# A shopper whose sign-in answers "503, retry after n s" waits n s and sends it again,
# for this long at most; then the sign-in has failed. Longer waits are cut to the cap.
SIGN_IN_PATIENCE = 30.0  # seconds, from the first try
RETRY_AFTER_CAP = 10.0  # seconds
SIGN_IN_FAILED = "sign-in failed: {answer}"


class ScenarioError(Exception):
    """A page did not hold what the next request needs (a form, a token)."""


class RetryLater(Exception):
    """The shop answered 503 with Retry-After and the client will try again.

    Reported to locust as the request's outcome, so that the recorder counts it as a
    retry: not an error (the client copes, as a browser's user would) and not a
    success either (its quick 503 must not make the latencies look fast). The 503
    still counts among the 5xx answers.
    """

    def __init__(self, seconds: float):
        super().__init__(f"HTTP 503, retried after {seconds:g} s")
        self.seconds = seconds


def call(
    visitor,
    method: str,
    path: str,
    *,
    name: str,
    expect=OK,
    retry: bool = False,
    **kwargs,
) -> Any:
    """One request, recorded under ``name``; any status but ``expect`` is an error.

    With ``retry``, a 503 that says when to come back (Retry-After) is recorded as a
    retry instead (``RetryLater``): the caller waits ``retry_after(response)`` and
    sends the request again.
    """
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
        elif retry and (seconds := retry_after(response)) is not None:
            response.failure(RetryLater(seconds))
        elif where := location(response):  # say where an odd redirect went
            response.failure(f"HTTP {response.status_code} to {where}")
        else:
            response.failure(f"HTTP {response.status_code}")
        return response


def retry_after(response) -> float | None:
    """Seconds to wait before trying again: a 503's Retry-After, capped; else None.

    Only the delay-seconds form is read; the shops never send an HTTP date.
    """
    if response.status_code != HTTPStatus.SERVICE_UNAVAILABLE:
        return None
    try:
        seconds = float(_header(response, "Retry-After") or "")
    except ValueError:  # none, or a date
        return None
    return min(max(seconds, 0.0), RETRY_AFTER_CAP)


def note_trace(visitor, response) -> None:
    """Note the trace of a measured request, when the server traces: the trace id
    in its ``traceresponse`` header (``00-<trace id>-<span id>-<flags>``), so the
    bench can draw the median one as a waterfall (``bench/waterfall.py``)."""
    if header := _header(response, "traceresponse"):
        visitor.traced(header.split("-")[1])


def _header(response, name: str) -> str | None:
    headers = getattr(response, "headers", None)
    return headers.get(name) if headers else None


def location(response) -> str:
    """Where a redirect sends the client; "" for any other answer."""
    if not 300 <= response.status_code < 400:
        return ""
    return _header(response, "Location") or ""


def page(visitor, path: str, *, name: str, **kwargs) -> str:
    """GET an HTML page; keep the CSRF token of its forms for the next POST."""
    return page_html(visitor, call(visitor, "GET", path, name=name, **kwargs))


def page_html(visitor, response) -> str:
    """A page's HTML ("" unless it is a 200); its forms' CSRF token is kept."""
    html = (response.text or "") if response.status_code == HTTPStatus.OK else ""
    if match := CSRF_FIELD.search(html):
        visitor.state["csrf"] = match.group(1)
    return html


def post_form(
    visitor,
    path: str,
    fields: dict,
    *,
    name: str,
    expect=REDIRECT,
    retry: bool = False,
) -> Any:
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
        retry=retry,
        data=data,
        allow_redirects=False,
    )


def hidden_value(html: str, field: str) -> str:
    match = re.search(rf'name="{field}"[^>]*value="([^"]*)"', html)
    if match is None:
        raise ScenarioError(f"the page has no {field!r} field")
    return match.group(1)


# ---------------------------------------------------------------- accounts


def sign_in_page(visitor) -> bool:
    """Sign in through the HTML form, with the user's own account: True once in.

    A 503 with Retry-After (a shop shedding password checks under load) is waited out
    and sent again, as a patient user would, for ``SIGN_IN_PATIENCE`` seconds; each
    such answer is recorded as a retry. Any other answer is a failed sign-in, recorded
    as the error it is. ``visitor.state["signed_in"]`` says how it went, so that the
    session signs in again before a page needs it (``session.py``), and
    ``visitor.state["sign_in_failure"]`` says why it failed.
    """
    username, password = visitor.account()
    visitor.state["signed_in"] = False
    page(visitor, SIGN_IN_PATH, name=SIGN_IN_PATH)
    fields = {"username": username, "password": password}
    name = f"{SIGN_IN_PATH} (POST)"
    deadline = time.monotonic() + SIGN_IN_PATIENCE
    while True:
        response = post_form(visitor, SIGN_IN_PATH, fields, name=name, retry=True)
        seconds = retry_after(response)
        if seconds is None:
            break
        if time.monotonic() + seconds > deadline:
            # The last 503 was recorded as a retry; giving up makes it an error.
            problem = SIGN_IN_FAILED.format(answer=f"503 for {SIGN_IN_PATIENCE:g} s")
            visitor.fail(name, problem)
            visitor.state["sign_in_failure"] = problem
            return False
        visitor.sleep(seconds)
    if response.status_code != HTTPStatus.FOUND:  # the request is the error recorded
        answer = (
            f"HTTP {response.status_code}"  # 200: the form again, refused
            if response.status_code
            else f"no answer: {response.error!r}"
        )
        visitor.state["sign_in_failure"] = SIGN_IN_FAILED.format(answer=answer)
        return False
    visitor.state.pop("csrf")  # Django rotates the token at sign-in
    visitor.state["signed_in"] = True
    return True


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
