"""Every service refuses forged tokens on its own port, as well as through the gateway.

The list of forgeries is chassis/testing_tokens.py's, made with the stack's own keys
(the harness keeps them in ``stack.keys_dir``): expired, another key, ``alg: none``,
another audience or issuer, HS256 with the public key as secret, the repository's
old default key, a refresh token, a service credential as a user's token, and the
reverse. docs/security.md, "How tokens are trusted", says why each must fail.
The monolith signs its own tokens in one process: this is about the services stack.
"""

from http import HTTPStatus
from typing import NamedTuple

import httpx
import pytest

from extracted_services.chassis import testing_tokens
from extracted_services.chassis.testing_tokens import USER_FORGERIES, StackKeys

from .helpers import PROBLEM_JSON, assert_problem

SERVICE_FORGERIES = (
    "expired",
    "another key",
    "alg none",
    "another audience",
    "hs256 with the caller's public key",
    "a user's token",
    "not a service token",
)
RESERVATIONS = "/internal/reservations/"


class Guarded(NamedTuple):
    """An endpoint that needs a user, and what a real customer's token gets there."""

    service: str
    method: str
    path: str
    customer_gets: HTTPStatus


GUARDED = (
    Guarded("catalog", "PATCH", "/api/products/1/", HTTPStatus.FORBIDDEN),
    Guarded("orders", "GET", "/api/orders/", HTTPStatus.OK),
    Guarded("payments", "GET", "/api/payments/", HTTPStatus.FORBIDDEN),
    Guarded(
        "recommendations", "POST", "/api/recommendations/train/", HTTPStatus.FORBIDDEN
    ),
    Guarded("reports", "GET", "/api/reports/sales/", HTTPStatus.FORBIDDEN),
    Guarded("gateway", "GET", "/api/auth/me/", HTTPStatus.OK),
)
# What the gateway forwards: the same checks, by the service behind it.
THROUGH_THE_GATEWAY = [g for g in GUARDED if g.service not in {"payments", "gateway"}]


@pytest.fixture
def keys(stack) -> StackKeys:
    if stack.keys_dir is None:
        pytest.skip("a stack this run did not start, or the monolith: no keys to sign")
    return StackKeys(stack.keys_dir)


def send(url: str, guarded: Guarded, headers: dict[str, str]) -> httpx.Response:
    body = {} if guarded.method in {"PATCH", "POST"} else None
    return httpx.request(
        guarded.method, url + guarded.path, json=body, headers=headers, timeout=15
    )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def user_id_of(api, user) -> int:
    return api.get("/api/auth/me/", headers=user.headers).json()["id"]


@pytest.mark.parametrize("guarded", GUARDED, ids=lambda g: g.service)
def test_every_port_refuses_every_forged_token(stack, keys, api, user, guarded):
    """Each service, on its own port: 401 for every forgery, though each claims
    staff; the customer's real token passes the check (and meets the permission)."""
    url = stack.web_urls[guarded.service]
    forged = testing_tokens.forged_user_tokens(
        keys, audience=guarded.service, user_id=user_id_of(api, user)
    )

    answers = {name: send(url, guarded, bearer(forged[name])) for name in forged}

    assert set(forged) == set(USER_FORGERIES)
    for name, response in answers.items():
        assert response.status_code == HTTPStatus.UNAUTHORIZED, (name, response.text)
        assert response.headers["Content-Type"].startswith(PROBLEM_JSON), name
    assert send(url, guarded, user.headers).status_code == guarded.customer_gets


@pytest.mark.parametrize("guarded", THROUGH_THE_GATEWAY, ids=lambda g: g.service)
def test_the_gateway_passes_no_forged_token_through(stack, keys, guarded):
    """The same forgeries through the public door: the service behind refuses them."""
    forged = testing_tokens.forged_user_tokens(keys, audience=guarded.service)

    for name, token in forged.items():
        response = send(stack.base_url, guarded, bearer(token))

        assert response.status_code == HTTPStatus.UNAUTHORIZED, (name, response.text)


def reserve(stack, headers: dict[str, str]) -> httpx.Response:
    # An empty order: a 400 once the caller is let in, and nothing is reserved.
    body = {"order_ref": "00000000-0000-0000-0000-000000000000", "items": []}
    url = stack.web_urls["catalog"] + RESERVATIONS
    return httpx.post(url, json=body, headers=headers, timeout=15)


def test_only_orders_may_call_catalogs_internal_api(stack, keys):
    """A valid token from orders is let in; one from payments is refused (403)."""
    orders = testing_tokens.service_token(keys, caller="orders", audience="catalog")
    payments = testing_tokens.service_token(keys, caller="payments", audience="catalog")

    let_in = reserve(stack, {"X-Service-Token": orders})
    refused = reserve(stack, {"X-Service-Token": payments})

    assert let_in.status_code == HTTPStatus.BAD_REQUEST  # past the door: the body
    assert_problem(refused, HTTPStatus.FORBIDDEN)


def test_catalogs_internal_api_refuses_forged_service_tokens(stack, keys):
    """Expired, another key, alg none, for another service, a user's token: 403;
    no token at all: 401."""
    forged = testing_tokens.forged_service_tokens(
        keys, caller="orders", audience="catalog"
    )

    answers = {
        name: reserve(stack, {"X-Service-Token": forged[name]}) for name in forged
    }

    assert set(forged) == set(SERVICE_FORGERIES)
    for name, response in answers.items():
        assert response.status_code == HTTPStatus.FORBIDDEN, (name, response.text)
    assert_problem(reserve(stack, {}), HTTPStatus.UNAUTHORIZED)


def test_the_internal_api_is_not_reachable_through_the_gateway(stack, keys):
    """Even with orders' valid token, /internal/ is not a public path."""
    orders = testing_tokens.service_token(keys, caller="orders", audience="catalog")

    response = httpx.post(
        stack.base_url + RESERVATIONS,
        json={},
        headers={"X-Service-Token": orders},
        timeout=15,
    )

    assert response.status_code == HTTPStatus.NOT_FOUND
