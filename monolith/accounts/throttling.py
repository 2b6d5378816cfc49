"""Rate limits for signing in and signing up (the ``"auth"`` throttle scope).

DRF's ``ScopedRateThrottle`` counts per signed-in user or per client IP. Neither suits
a login form: before sign-in there is no user, and a classroom shares one IP address.

Copied on purpose to the gateway (gateway/throttling.py), which took the users and their
sign-in with it; tests/test_copies.py keeps the two identical.
"""

import hashlib
from collections.abc import Mapping

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class AuthRateThrottle(SimpleRateThrottle):
    """The "auth" rate per posted username and client IP: for sign-in.

    Guessing one account's password is stopped after a few tries, while thirty
    students behind one IP address can each still sign in to their own account.
    """

    scope = "auth"

    def get_rate(self) -> str | None:
        # DRF copies the rates into a class attribute once, at import; read them for
        # each request instead, so that a changed setting (a test's) takes effect.
        rate = api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        return None if rate is None else str(rate)  # "5/minute"; typed loosely

    def get_cache_key(self, request, view) -> str:
        data = request.data if isinstance(request.data, Mapping) else {}
        username = str(data.get("username", "")).casefold()
        # A digest keeps the key short and printable whatever was posted.
        digest = hashlib.sha256(username.encode()).hexdigest()
        return self._key(f"{digest}:{self.get_ident(request)}")

    def _key(self, ident: str) -> str:
        return self.cache_format % {"scope": self.scope, "ident": ident}


class RegisterRateThrottle(AuthRateThrottle):
    """The "auth" rate per client IP: for sign-up, where there is no account yet."""

    def get_cache_key(self, request, view) -> str:
        return self._key(self.get_ident(request))
