"""Sign-in limits that count a browser, when the storefront signs in on its behalf.

The storefront's sign-in and sign-up pages call this gateway's auth API themselves,
so every page sign-in reaches us from the storefront's address. Keyed on that, the
limit would be per username only: anyone could lock a customer out of the shop by
failing on purpose. So the storefront names the browser's address (as the gateway's
proxy told it) in ``X-Client-Address``, and these throttles count that address
instead; they believe it only from a caller whose ``X-Service-Token`` proves it is the
storefront. From anyone else the header changes nothing, as X-Forwarded-For does not.
"""

import ipaddress

import jwt
from rest_framework.request import Request

from extracted_services.chassis.auth import (
    CLIENT_ADDRESS_HEADER,
    SERVICE_TOKEN_HEADER,
    service_caller,
)

from .throttling import AuthRateThrottle, RegisterRateThrottle

# The services that sign customers in on a browser's behalf.
SIGNS_IN_FOR_BROWSERS = ("storefront",)


def browser_address(request: Request) -> str | None:
    """The address a trusted service signs in for, or None if there is none."""
    address = request.headers.get(CLIENT_ADDRESS_HEADER, "")
    token = request.headers.get(SERVICE_TOKEN_HEADER)
    if not address or not token:
        return None
    try:
        ipaddress.ip_address(address)  # an address, not a new key at each try
        caller = service_caller(token)
    except (ValueError, jwt.InvalidTokenError):
        return None
    return address if caller in SIGNS_IN_FOR_BROWSERS else None


class OnBehalfAuthRateThrottle(AuthRateThrottle):
    """The sign-in limit per username and address: the browser's, for the storefront."""

    def get_ident(self, request: Request) -> str:
        return browser_address(request) or super().get_ident(request)


class OnBehalfRegisterRateThrottle(RegisterRateThrottle):
    """The sign-up limit per address: the browser's, for the storefront."""

    def get_ident(self, request: Request) -> str:
        return browser_address(request) or super().get_ident(request)
