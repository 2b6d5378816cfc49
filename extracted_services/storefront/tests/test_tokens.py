"""Tokens on the storefront's own port: it trusts none, forged or not.

The list every service is tested with (docs/security.md, "How tokens are trusted"),
made with this run's keys by chassis/testing_tokens.py.
"""

from http import HTTPStatus

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from extracted_services.chassis import testing_tokens
from extracted_services.chassis.testing_tokens import USER_FORGERIES, StackKeys

pytestmark = pytest.mark.django_db


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("name", USER_FORGERIES)
def test_a_forged_token_buys_nothing_here(name):
    """The storefront checks no bearer token: its one API (the echo lab's) is public,
    and its pages pass the user's token on to the service that checks it. A forged
    staff token gets exactly what no token gets."""
    client, stack = APIClient(), StackKeys(settings.KEYS_DIR)
    forged = testing_tokens.forged_user_tokens(stack, audience="storefront")[name]

    anonymous = client.get("/api/echo/submissions/")
    with_forged = client.get("/api/echo/submissions/", headers=bearer(forged))

    assert settings.REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] == []
    assert with_forged.status_code == anonymous.status_code == HTTPStatus.OK
    assert with_forged.json() == anonymous.json()
