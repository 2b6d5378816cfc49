"""Signing in and up in services mode: the gateway checks, the session keeps tokens."""

import threading
from http import HTTPStatus

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.messages import get_messages
from django.urls import reverse

from extracted_services.chassis import http
from extracted_services.chassis.auth import CLIENT_ADDRESS_HEADER
from extracted_services.storefront.shop import TOKENS_SESSION_KEY
from monolith.accounts.views import SIGNED_IN, WELCOME

from .conftest import CUSTOMER, PASSWORD
from .gateway_stand_in import Answer, problem

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse("accounts:login")
LOGOUT_URL = reverse("accounts:logout")
REGISTER_URL = reverse("accounts:register")


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def sign_in(client, password=PASSWORD):
    return client.post(LOGIN_URL, {"username": CUSTOMER, "password": password})


def test_signing_in_keeps_the_gateways_tokens_in_the_session(client, gateway, tokens):
    """The password goes to the gateway; its tokens stay in the new session."""
    gateway.answer("POST", "/api/auth/token/", tokens)

    response = sign_in(client)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("catalog:product-list")
    assert messages_of(response) == [SIGNED_IN.format(username=CUSTOMER)]
    (call,) = gateway.calls
    assert call.body == {"username": CUSTOMER, "password": PASSWORD}
    assert client.session[TOKENS_SESSION_KEY] == tokens


def test_the_signed_in_user_is_a_local_shadow_without_a_password(
    client, gateway, tokens
):
    """Same name as at the gateway; no password here to check or to leak."""
    gateway.answer("POST", "/api/auth/token/", tokens)

    sign_in(client)

    shadow = get_user_model().objects.get(username=CUSTOMER)
    assert client.session[SESSION_KEY] == str(shadow.pk)
    assert not shadow.has_usable_password()


def test_a_wrong_password_shows_the_monoliths_error(client, gateway):
    """The gateway's 401 is the login form's usual error; no session, no tokens."""
    gateway.on(
        "POST",
        "/api/auth/token/",
        lambda call: problem(HTTPStatus.UNAUTHORIZED, "No active account found"),
    )

    response = sign_in(client, password="wrong")

    assert response.status_code == HTTPStatus.OK
    assert "Please enter a correct username and password" in response.text
    assert SESSION_KEY not in client.session
    assert TOKENS_SESSION_KEY not in client.session


def test_too_many_attempts_are_shown_on_the_login_page(client, gateway):
    """The gateway's 429 problem: its words above the form."""
    detail = "Request was throttled. Expected available in 42 seconds."
    gateway.on(
        "POST",
        "/api/auth/token/",
        lambda call: problem(HTTPStatus.TOO_MANY_REQUESTS, detail),
    )

    response = sign_in(client)

    assert detail in response.text
    assert SESSION_KEY not in client.session


def test_logging_out_forgets_the_tokens(signed_in_client):
    """Logout flushes the session, tokens and all."""
    response = signed_in_client.post(LOGOUT_URL)

    assert response.status_code == HTTPStatus.FOUND
    assert SESSION_KEY not in signed_in_client.session
    assert TOKENS_SESSION_KEY not in signed_in_client.session


def register(client, **fields):
    data = {
        "username": CUSTOMER,
        "email": "ada@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **fields,
    }
    return client.post(REGISTER_URL, data)


def test_signing_up_registers_at_the_gateway_then_signs_in(client, gateway, tokens):
    """Two calls: register, then token; the customer is signed in at once."""
    account = {"id": 7, "username": CUSTOMER, "email": "ada@example.com"}
    gateway.answer("POST", "/api/auth/register/", account, HTTPStatus.CREATED)
    gateway.answer("POST", "/api/auth/token/", tokens)

    response = register(client)

    assert response.status_code == HTTPStatus.FOUND
    assert [call.path for call in gateway.calls] == [
        "/api/auth/register/",
        "/api/auth/token/",
    ]
    assert gateway.calls[0].body == {
        "username": CUSTOMER,
        "email": "ada@example.com",
        "password": PASSWORD,
    }
    assert messages_of(response) == [WELCOME.format(username=CUSTOMER)]
    assert client.session[TOKENS_SESSION_KEY] == tokens


@pytest.mark.parametrize(
    ("api_field", "form_field"),
    [("username", "username"), ("email", "email"), ("password", "password2")],
)
def test_the_gateways_field_errors_are_shown_beside_the_fields(
    client, gateway, api_field, form_field
):
    """A 400 from the sign-up API puts each message where the monolith would."""
    message = "The gateway says no."
    gateway.on(
        "POST",
        "/api/auth/register/",
        lambda call: problem(
            HTTPStatus.BAD_REQUEST,
            "The request body has invalid fields.",
            type="/problems/validation-error",
            errors={api_field: [message]},
        ),
    )

    response = register(client)

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors[form_field] == [message]
    assert f'id="id_{form_field}_error"' in response.text
    assert SESSION_KEY not in client.session


def test_signing_in_and_up_name_the_browsers_address(client, gateway, tokens):
    """The gateway's limits count the browser the gateway saw, not the storefront:
    no one can lock a customer out of this page from another address."""
    account = {"id": 7, "username": CUSTOMER, "email": "ada@example.com"}
    gateway.answer("POST", "/api/auth/register/", account, HTTPStatus.CREATED)
    gateway.answer("POST", "/api/auth/token/", tokens)
    # The gateway's proxy sets X-Forwarded-For to the address it saw.
    client.defaults["HTTP_X_FORWARDED_FOR"] = "198.51.100.7"

    register(client)

    addresses = [
        call.headers.get(CLIENT_ADDRESS_HEADER.lower()) for call in gateway.calls
    ]
    assert addresses == ["198.51.100.7", "198.51.100.7"]  # register, then token


def test_a_slow_password_check_is_waited_for_longer_than_other_calls(
    client, gateway, tokens, settings
):
    """A sign-in waits STOREFRONT_SIGN_IN_TIMEOUT, not the shorter HTTP_TIMEOUT: the
    gateway's hashing is slow on purpose, and may wait for its turn."""
    settings.HTTP_TIMEOUT = 0.2
    settings.STOREFRONT_SIGN_IN_TIMEOUT = 10.0
    http.clients_reset()  # clients made with these timeouts
    hashing = threading.Event()  # never set: the check just takes its time

    def slow_check(call):
        hashing.wait(timeout=0.6)  # longer than HTTP_TIMEOUT
        return Answer(HTTPStatus.OK, tokens)

    gateway.on("POST", "/api/auth/token/", slow_check)

    response = sign_in(client)

    assert response.status_code == HTTPStatus.FOUND
    assert client.session[TOKENS_SESSION_KEY] == tokens
