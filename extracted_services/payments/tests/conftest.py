"""Fixtures for the payments service.

Run: ``python dev.py test --service payments``.
Nothing reaches the shared Redis: the outbox's ``send_task`` is replaced by a
recorder, which checks every message against docs/api/asyncapi.yaml.
"""

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from extracted_services.chassis import outbox
from extracted_services.chassis.asyncapi import message_validate


@pytest.fixture
def sent(monkeypatch):
    """Every task the outbox relay publishes, as (name, kwargs, queue).

    Each is checked against the AsyncAPI document first: a name it does not list,
    or a payload its schema refuses, fails the test that sent it.
    """
    published: list[tuple[str, dict, str]] = []

    def record(name, *, kwargs, queue):
        message_validate(name, kwargs)
        published.append((name, kwargs, queue))

    monkeypatch.setattr(outbox, "send_task", record)
    return published


def _client(*, is_staff: bool | None) -> APIClient:
    client = APIClient()
    if is_staff is not None:
        token = AccessToken()  # signed with the settings' key, audience and issuer
        token["user_id"] = 1
        token["username"] = "admin" if is_staff else "alice"
        token["is_staff"] = is_staff
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def staff_client():
    return _client(is_staff=True)


@pytest.fixture
def customer_client():
    return _client(is_staff=False)


@pytest.fixture
def anonymous_client():
    return _client(is_staff=None)
