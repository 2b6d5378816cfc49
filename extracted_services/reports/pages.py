"""The /reports/ page: the figures as a table and an inline SVG bar chart, for staff.

Signing in. The storefront keeps a customer's tokens in *its* session, which no other
service may read, so this page signs staff in itself: anonymous visitors are sent to
``/reports/login/?next=...`` (Django's ``login_required``, here), whose form trades
the password for the gateway's tokens and keeps them in this service's signed,
HttpOnly session cookie (path /reports/). API clients send ``Authorization: Bearer``.
"""

import secrets
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, current_app, redirect, render_template, request, session
from marshmallow import ValidationError
from werkzeug.wrappers import Response

from .api import csv_download
from .auth import InvalidToken, TokenUser, bearer_token, user_from_token
from .gateway import GatewayUnavailable, obtain_tokens, refresh_tokens
from .report import bar_chart
from .schemas import SalesQuery
from .selectors import sales_report

bp = Blueprint("reports_pages", __name__, url_prefix="/reports")

TOKENS = "tokens"  # the session key of the gateway's {access, refresh}
CSRF = "csrf"
LOGIN_FAILED = "Please enter a correct username and password."
FORM_EXPIRED = "The form expired: please sign in again."
GATEWAY_DOWN = "Signing in is not possible right now: the gateway is not answering."


@bp.get("/")
def sales_page() -> Response | tuple[str, int]:
    """Sales per day, category or product, for staff; others are sent to sign in."""
    user = page_user()
    if user is None:
        query = urlencode({"next": request.full_path.rstrip("?")}, safe="/")
        return redirect(f"/reports/login/?{query}")
    if not user.is_staff:
        return render_template(
            "reports/forbidden.html", user=user
        ), HTTPStatus.FORBIDDEN
    context: dict[str, Any] = {"user": user, "args": request.args, "errors": {}}
    status = HTTPStatus.OK
    try:
        query = SalesQuery().load(request.args)
    except ValidationError as exc:
        context["errors"] = exc.normalized_messages()
        status = HTTPStatus.BAD_REQUEST
    else:
        rows = sales_report(
            start=query["start"], end=query["end"], group=query["group"]
        )
        context |= {"query": query, "rows": rows, "chart": bar_chart(rows)}
    return render_template("reports/sales.html", **context), status


@bp.get("/sales.csv")
def sales_csv_page() -> Response | tuple[str, int]:
    """The page's "Download as CSV": the API's CSV, for the page's signed-in user.

    A browser has this service's session cookie (path /reports/), not a token for
    /api/reports/sales.csv, which is for API clients.
    """
    user = page_user()
    if user is None or not user.is_staff:
        return sales_page()  # the sign-in or the 403, as the page answers them
    try:
        query = SalesQuery().load(request.args)
    except ValidationError:
        return sales_page()  # the page, showing what is wrong with the period
    return csv_download(query)


@bp.route("/login/", methods=["GET", "POST"])
def login_page() -> Response | tuple[str, int]:
    """A username and password, traded at the gateway for tokens kept in our session."""
    target = _safe_next(request.values.get("next", ""))
    error, status = None, HTTPStatus.OK
    if request.method == "POST":
        expected = session.get(CSRF)
        sent = request.form.get(CSRF, "")
        if not expected or not secrets.compare_digest(sent, expected):
            error, status = FORM_EXPIRED, HTTPStatus.FORBIDDEN
        else:
            try:
                tokens = obtain_tokens(
                    username=request.form.get("username", ""),
                    password=request.form.get("password", ""),
                )
            except GatewayUnavailable:
                error, status = GATEWAY_DOWN, HTTPStatus.SERVICE_UNAVAILABLE
            else:
                if tokens is not None:
                    session.clear()  # a fresh session for the signed-in user
                    session[TOKENS] = tokens
                    return redirect(target)
                error, status = LOGIN_FAILED, HTTPStatus.OK
    session.setdefault(CSRF, secrets.token_urlsafe(32))
    return (
        render_template(
            "reports/login.html", error=error, next=target, csrf=session[CSRF]
        ),
        status,
    )


@bp.post("/logout/")
def logout_page() -> Response:
    session.clear()
    return redirect("/reports/login/")


def page_user() -> TokenUser | None:
    """The caller: a Bearer token, or the tokens of our session (renewed once)."""
    token = bearer_token()
    if token is not None:
        try:
            return user_from_token(token)
        except InvalidToken:
            return None
    tokens = session.get(TOKENS)
    if not tokens:
        return None
    try:
        return user_from_token(tokens["access"])
    except InvalidToken:
        pass  # most likely expired: access tokens live for minutes
    try:
        renewed = refresh_tokens(refresh=tokens["refresh"])
        if renewed is None:
            raise InvalidToken("the refresh token expired")
        user = user_from_token(renewed["access"])
    except (GatewayUnavailable, InvalidToken):
        current_app.logger.info("the page's session ended; signing in again")
        session.pop(TOKENS, None)
        return None
    session[TOKENS] = renewed
    return user


def _safe_next(target: str) -> str:
    """Only back to one of our own pages: never an open redirect."""
    return target if target.startswith("/reports/") else "/reports/"
