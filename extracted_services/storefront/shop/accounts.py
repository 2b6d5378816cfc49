"""The accounts' part of ``RemoteShop``: the gateway owns the users and their tokens.

A customer signs in at the gateway; the storefront keeps the gateway's tokens in the
session and a "shadow" user of the same name (without a password), so that
``login_required``, ``request.user`` and logging out work as in the monolith.

Its calls to sign in and up name the browser's address, so that the gateway's limits
count each browser, not the storefront (gateway/on_behalf.py).
"""

from http import HTTPStatus
from typing import Any

import httpx
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.http import HttpRequest
from rest_framework.throttling import BaseThrottle

from extracted_services.chassis.auth import CLIENT_ADDRESS_HEADER
from monolith.shop import SignInRequired

from .base import ACCOUNTS, ORDERS, ShopBase, call, json_of, refusal

TOKENS_SESSION_KEY = "shop_tokens"  # the gateway's access and refresh tokens
Tokens = dict[str, str]  # {"access": ..., "refresh": ...}


class AccountCalls(ShopBase):
    """Sign-up and sign-in at the gateway, and calls made as the signed-in user."""

    def __init__(self, request: HttpRequest):
        super().__init__(request)
        # The gateway's tokens by user id, from authenticate() until login().
        self._signed_in: dict[int, Tokens] = {}

    def register(self, *, username: str, email: str, password: str) -> User:
        """Sign up at the gateway, then sign in there."""
        body = {"username": username, "email": email, "password": password}
        response = call(
            ACCOUNTS,
            "POST",
            "/api/auth/register/",
            json=body,
            headers=self._browser(),
            timeout=settings.STOREFRONT_SIGN_IN_TIMEOUT,  # it hashes the password
        )
        if response.status_code != HTTPStatus.CREATED:
            raise refusal(response)
        user = self.authenticate(username=username, password=password)
        if user is None:  # the account exists, yet its password does not work
            raise SignInRequired
        return user

    def authenticate(self, *, username: str, password: str) -> User | None:
        """The shadow user, its tokens kept until ``login``; None for a wrong password.

        The sign-in form and the login view ask the same request's shop, this one.
        """
        body = {"username": username, "password": password}
        response = call(
            ACCOUNTS,
            "POST",
            "/api/auth/token/",
            json=body,
            headers=self._browser(),
            # Checking a password is slow on purpose, and may wait for its turn.
            timeout=settings.STOREFRONT_SIGN_IN_TIMEOUT,
        )
        if response.status_code in (HTTPStatus.BAD_REQUEST, HTTPStatus.UNAUTHORIZED):
            return None
        if response.status_code != HTTPStatus.OK:  # 429: too many attempts
            raise refusal(response)
        user, _ = User.objects.get_or_create(
            username=username, defaults={"password": make_password(None)}
        )
        self._signed_in[user.pk] = json_of(response)
        return user

    def _browser(self) -> dict[str, str]:
        """Whose sign-in this is: the browser's address, as the gateway saw it.

        DRF's rule reads it (NUM_PROXIES: the gateway's X-Forwarded-For), as the
        storefront's own limits would.
        """
        return {CLIENT_ADDRESS_HEADER: BaseThrottle().get_ident(self.request)}  # type: ignore[arg-type]

    def login(self, user: User) -> None:
        login(self.request, user)
        # After login(), which may have started a new session: the tokens stay in it.
        self.request.session[TOKENS_SESSION_KEY] = self._signed_in[user.pk]

    def _as_user(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """A call to the orders API with the user's token, renewed once if expired."""
        tokens = self.request.session.get(TOKENS_SESSION_KEY)
        if not tokens:
            raise SignInRequired
        headers = kwargs.pop("headers", None) or {}
        for attempt in range(2):
            bearer = {"Authorization": f"Bearer {tokens['access']}"}
            response = call(
                ORDERS, method, path, headers={**headers, **bearer}, **kwargs
            )
            if response.status_code != HTTPStatus.UNAUTHORIZED:
                return response
            if attempt == 0:  # a 401 did nothing: safe to send again, renewed
                tokens = self._renewed(tokens)
        raise SignInRequired

    def _renewed(self, tokens: Tokens) -> Tokens:
        body = {"refresh": tokens["refresh"]}
        response = call(ACCOUNTS, "POST", "/api/auth/token/refresh/", json=body)
        if response.status_code != HTTPStatus.OK:  # the refresh token expired too
            raise SignInRequired
        tokens = {**tokens, **response.json()}  # a new access (and refresh) token
        self.request.session[TOKENS_SESSION_KEY] = tokens
        return tokens
