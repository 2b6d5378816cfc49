"""The storefront signs in for browsers: the limit counts each browser's address, so
no one can lock a customer out of the shop's sign-in page from another address."""

import ipaddress
import uuid
from http import HTTPStatus

import pytest
from django.conf import settings

from extracted_services.chassis import testing_tokens
from extracted_services.chassis.auth import CLIENT_ADDRESS_HEADER, SERVICE_TOKEN_HEADER

pytestmark = pytest.mark.django_db

RATE = 3  # attempts a minute
ATTACKER, CUSTOMER = "203.0.113.66", "198.51.100.7"


@pytest.fixture(autouse=True)
def low_auth_rate(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"auth": f"{RATE}/min"},
    }


@pytest.fixture
def username() -> str:
    """A name of this test's own: the limit's counts live in the shared Redis."""
    return f"target-{uuid.uuid4().hex[:8]}"


def as_service(caller: str, address: str) -> dict[str, str]:
    """The headers of a call from ``caller`` signing in for a browser at ``address``."""
    keys = testing_tokens.StackKeys(settings.KEYS_DIR)
    token = testing_tokens.service_token(keys, caller=caller, audience="gateway")
    return {SERVICE_TOKEN_HEADER: token, CLIENT_ADDRESS_HEADER: address}


def sign_in(api, username: str, headers: dict[str, str]) -> int:
    body = {"username": username, "password": "not-the-password"}
    response = api.post("/api/auth/token/", body, format="json", headers=headers)
    return response.status_code


def test_failing_on_purpose_from_one_address_does_not_lock_out_another(api, username):
    """The attacker's browser is stopped; the customer's is still asked its password."""
    attacker = as_service("storefront", ATTACKER)
    attempts = [sign_in(api, username, attacker) for _ in range(RATE + 1)]

    customer = sign_in(api, username, as_service("storefront", CUSTOMER))

    assert attempts == [HTTPStatus.UNAUTHORIZED] * RATE + [HTTPStatus.TOO_MANY_REQUESTS]
    assert customer == HTTPStatus.UNAUTHORIZED  # a wrong password, not a lock-out


@pytest.mark.parametrize(
    "headers",
    [
        {CLIENT_ADDRESS_HEADER: "203.0.113.{n}"},  # no service token
        {CLIENT_ADDRESS_HEADER: "203.0.113.{n}", SERVICE_TOKEN_HEADER: "forged"},
        {"from": "orders"},  # a real service, but not one that signs in for browsers
    ],
    ids=["no token", "forged token", "another service"],
)
def test_only_the_storefront_may_name_the_browsers_address(api, username, headers):
    """From anyone else, a new address each try buys no extra guesses."""
    answers = []
    for n in range(RATE + 1):
        if "from" in headers:
            sent = as_service(headers["from"], f"203.0.113.{n}")
        else:
            sent = {name: value.format(n=n) for name, value in headers.items()}
        answers.append(sign_in(api, username, sent))

    assert answers == [HTTPStatus.UNAUTHORIZED] * RATE + [HTTPStatus.TOO_MANY_REQUESTS]


def test_sign_ups_from_the_page_count_each_browser(api):
    """One browser's sign-ups do not use up another's."""

    def sign_up(address: str) -> int:
        name = f"new-{uuid.uuid4().hex[:8]}"
        body = {"username": name, "email": f"{name}@example.com", "password": "x"}
        headers = as_service("storefront", address)
        return api.post(
            "/api/auth/register/", body, format="json", headers=headers
        ).status_code

    # Addresses of this test's own: sign-ups count per address alone, in Redis.
    attacker, customer = (str(ipaddress.IPv6Address(uuid.uuid4().int)) for _ in "ab")
    first = [sign_up(attacker) for _ in range(RATE + 1)]

    assert first[-1] == HTTPStatus.TOO_MANY_REQUESTS
    assert sign_up(customer) != HTTPStatus.TOO_MANY_REQUESTS
