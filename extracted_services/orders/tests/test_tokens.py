"""Tokens this service must refuse, on its own port, however staff they claim to be.

The list every service is tested with (docs/security.md, "How tokens are trusted"),
made with this run's keys by chassis/testing_tokens.py.
"""

from http import HTTPStatus

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from extracted_services.chassis import testing_tokens
from extracted_services.chassis.problems import CONTENT_TYPE
from extracted_services.chassis.testing_tokens import USER_FORGERIES, StackKeys

pytestmark = pytest.mark.django_db


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("name", USER_FORGERIES)
def test_a_forged_token_is_a_401_problem(name):
    """No forged token reads anyone's orders: 401, and the real one may."""
    client, stack = APIClient(), StackKeys(settings.KEYS_DIR)
    forged = testing_tokens.forged_user_tokens(stack, audience="orders")[name]
    real = testing_tokens.user_token(stack, is_staff=True)

    refused = client.get("/api/orders/", headers=bearer(forged))
    accepted = client.get("/api/orders/", headers=bearer(real))

    assert refused.status_code == HTTPStatus.UNAUTHORIZED
    assert refused["Content-Type"] == CONTENT_TYPE
    assert accepted.status_code == HTTPStatus.OK
