"""The sign-in limit at the public door: keyed on the address the gateway saw, on the
API and on the admin's form alike."""

import uuid
from http import HTTPStatus

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

RATE = 3  # attempts a minute
WRONG = {"password": "not-the-password"}


@pytest.fixture(autouse=True)
def low_auth_rate(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"auth": f"{RATE}/min"},
    }


@pytest.fixture
def username() -> str:
    """A name of this test's own: the limit's counts live in the shared Redis."""
    return f"hammer-{uuid.uuid4().hex[:8]}"


def test_a_new_x_forwarded_for_each_try_buys_no_extra_guesses(api, username):
    """The gateway trusts no proxy in front of it: the client's header is ignored."""
    answers = [
        api.post(
            "/api/auth/token/",
            {"username": username, **WRONG},
            format="json",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}",
        ).status_code
        for attempt in range(RATE + 1)
    ]

    assert answers == [HTTPStatus.UNAUTHORIZED] * RATE + [HTTPStatus.TOO_MANY_REQUESTS]


def test_the_admins_sign_in_form_has_the_same_limit(username):
    """Past the limit, the admin's form is a 429 with Retry-After."""
    client = Client()
    form = {"username": username, **WRONG}
    for _ in range(RATE):
        assert client.post("/admin/login/", form).status_code == HTTPStatus.OK

    response = client.post("/admin/login/", form)

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert 0 < int(response["Retry-After"]) <= 60
