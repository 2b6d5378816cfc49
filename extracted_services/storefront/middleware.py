"""When the services behind a page fail: a friendly 503 page, or a fresh sign-in.

The monolith's views know nothing of networks; in services mode, what the network
adds (a service that does not answer, tokens that ran out) is answered here, once.
"""

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from monolith.shop import SignInRequired, Unavailable  # what the shop/ raises

SIGN_IN_AGAIN = "Your session has expired: please sign in again."


class ShopErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Unavailable):
            context = {"service": exception.service}
            response = render(
                request,
                "storefront/unavailable.html",
                context,
                status=HTTPStatus.SERVICE_UNAVAILABLE,
            )
            response["Retry-After"] = exception.headers["Retry-After"]
            return response
        if isinstance(exception, SignInRequired):
            logout(request)  # the shadow user's session, without tokens, is no use
            messages.info(request, SIGN_IN_AGAIN)
            return redirect_to_login(request.get_full_path())
        return None
