"""The "auth" rate limit: sign-in per account and address, sign-up per address."""

from http import HTTPStatus

import pytest

from tests.factories import TEST_PASSWORD, UserFactory

from .helpers import STRONG_PASSWORD, assert_problem

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/auth/token/"
REGISTER_URL = "/api/auth/register/"
RATE = 3  # attempts a minute


@pytest.fixture(autouse=True)
def low_auth_rate(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"auth": f"{RATE}/min"},
    }


WRONG_PASSWORD = "wrong-password"


def sign_in(api_client, username, password=WRONG_PASSWORD, address="10.0.0.1"):
    return api_client.post(
        TOKEN_URL, {"username": username, "password": password}, REMOTE_ADDR=address
    )


def use_up_the_limit(api_client, username):
    for _ in range(RATE):
        assert sign_in(api_client, username).status_code == HTTPStatus.UNAUTHORIZED


def test_guessing_one_accounts_password_is_stopped(api_client, user):
    """After the limit, even the right password is a 429 problem with Retry-After."""
    use_up_the_limit(api_client, user.username)

    response = sign_in(api_client, user.username, TEST_PASSWORD)

    assert_problem(response, HTTPStatus.TOO_MANY_REQUESTS)
    assert 0 < int(response["Retry-After"]) <= 60


def test_the_limit_ignores_the_usernames_letter_case(api_client, user):
    """Letter case is ignored, so "ALICE" buys no extra guesses at "alice"."""
    use_up_the_limit(api_client, user.username.upper())

    response = sign_in(api_client, user.username)

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_classmates_behind_the_same_address_can_still_sign_in(api_client, user):
    """One throttled account does not lock out the rest of the classroom."""
    classmate = UserFactory()
    use_up_the_limit(api_client, user.username)

    response = sign_in(api_client, classmate.username, TEST_PASSWORD)

    assert response.status_code == HTTPStatus.OK


def test_the_same_account_from_another_address_is_counted_apart(api_client, user):
    """The count is per username and address together."""
    use_up_the_limit(api_client, user.username)

    response = sign_in(api_client, user.username, TEST_PASSWORD, address="10.0.0.2")

    assert response.status_code == HTTPStatus.OK


def test_sign_ups_from_one_address_are_limited(api_client):
    """Creating accounts in bulk from one address is stopped with a 429 problem."""
    responses = [
        api_client.post(
            REGISTER_URL,
            {
                "username": f"student{n}",
                "email": f"student{n}@example.com",
                "password": STRONG_PASSWORD,
            },
        )
        for n in range(RATE + 1)
    ]

    assert [r.status_code for r in responses[:RATE]] == [HTTPStatus.CREATED] * RATE
    assert_problem(responses[-1], HTTPStatus.TOO_MANY_REQUESTS)
    assert "Retry-After" in responses[-1]


def test_a_body_that_is_not_an_object_is_a_400_not_a_crash(api_client):
    """The throttle reads the posted username; a JSON list must not break it."""
    response = api_client.post(TOKEN_URL, ["alice"], format="json")

    assert_problem(response, HTTPStatus.BAD_REQUEST)


def test_a_new_x_forwarded_for_each_try_buys_no_extra_guesses(api_client, user):
    """No proxy is trusted by default: the client's own header is not its address."""
    for attempt in range(RATE):
        response = api_client.post(
            TOKEN_URL,
            {"username": user.username, "password": WRONG_PASSWORD},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}",
        )
        assert response.status_code == HTTPStatus.UNAUTHORIZED

    response = api_client.post(
        TOKEN_URL,
        {"username": user.username, "password": WRONG_PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_the_sign_in_forms_have_the_same_limit(client, user, path):
    """The page's and the admin's forms: past the limit a 429 with Retry-After."""
    form = {"username": user.username, "password": WRONG_PASSWORD}
    for _ in range(RATE):
        assert client.post(path, form).status_code == HTTPStatus.OK  # form, errors

    response = client.post(path, {**form, "password": TEST_PASSWORD})

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert 0 < int(response["Retry-After"]) <= 60
