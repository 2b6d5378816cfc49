"""Rate limits for signing in and signing up (the ``"auth"`` throttle scope).

DRF's ``ScopedRateThrottle`` counts per signed-in user or per client IP. Neither suits
a login form: before sign-in there is no user, and a classroom shares one IP address.

Copied on purpose from monolith/accounts/throttling.py: the users, and their sign-in
limits, moved here; tests/test_copies.py keeps the two identical.
"""

import hashlib
import math
from collections.abc import Callable, Mapping
from http import HTTPStatus

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

SIGN_IN_THROTTLED = "Too many sign-in attempts. Try again in {seconds} seconds."


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
        # DRF's request.data for the API; a Django request's POST for a sign-in form.
        posted = getattr(request, "data", None) or request.POST
        data = posted if isinstance(posted, Mapping) else {}
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


class SignInFormThrottleMiddleware:
    """The same "auth" rate on the sign-in forms that are not DRF's, admin's included.

    ``settings.SIGN_IN_FORM_PATHS`` names them. Address and username come from the
    same places as the API's (DRF's NUM_PROXIES says which address to trust).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        forms = getattr(settings, "SIGN_IN_FORM_PATHS", ())
        if request.method == "POST" and request.path in forms:
            throttle = AuthRateThrottle()
            # A Django request, not DRF's: the throttle reads only META and POST.
            if not throttle.allow_request(request, None):  # type: ignore[arg-type]
                seconds = math.ceil(throttle.wait() or 1)
                response = HttpResponse(
                    SIGN_IN_THROTTLED.format(seconds=seconds),
                    status=HTTPStatus.TOO_MANY_REQUESTS,
                    content_type="text/plain; charset=utf-8",
                )
                response["Retry-After"] = str(seconds)
                return response
        return self.get_response(request)
