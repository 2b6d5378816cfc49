"""The sign-up, sign-in and sign-out pages."""

from http import HTTPStatus

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.urls import reverse

from monolith.accounts.forms import RegisterForm
from monolith.accounts.views import WELCOME
from tests.factories import TEST_PASSWORD, UserFactory

from .helpers import STRONG_PASSWORD

pytestmark = pytest.mark.django_db

REGISTER_URL = "/accounts/register/"
LOGIN_URL = "/accounts/login/"
LOGOUT_URL = "/accounts/logout/"
DEMO_PASSWORD = "alice-local-only-123"
PASSWORD_MISMATCH = str(RegisterForm.error_messages["password_mismatch"])


def register(client, next_url=None, **fields):
    data = {
        "username": "carol",
        "email": "carol@example.com",
        "password1": STRONG_PASSWORD,
        "password2": STRONG_PASSWORD,
        **fields,
    }
    if next_url is not None:
        data["next"] = next_url
    return client.post(REGISTER_URL, data)


def signed_in_user_id(client) -> str | None:
    return client.session.get(SESSION_KEY)


def test_the_register_page_shows_its_form(client):
    """A visitor sees username, email and both password fields."""
    response = client.get(REGISTER_URL)

    assert response.status_code == HTTPStatus.OK
    for name in ("username", "email", "password1", "password2"):
        assert f'name="{name}"' in response.content.decode()


def test_signing_up_signs_the_customer_in_and_goes_to_the_shop(client):
    """The new account is signed in at once, welcomed and sent to the product list."""
    response = register(client)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("catalog:product-list")
    user = User.objects.get(username="carol")
    assert signed_in_user_id(client) == str(user.pk)
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == [WELCOME.format(username="carol")]


def test_signing_up_continues_to_a_safe_next_page(client):
    """A sign-up that started at checkout goes back to checkout."""
    response = register(client, next_url="/checkout/")

    assert response["Location"] == "/checkout/"


def test_signing_up_never_follows_an_off_site_next(client):
    """A crafted ?next= on another host is ignored in favour of the shop."""
    response = register(client, next_url="https://evil.example/phish")

    assert response["Location"] == reverse("catalog:product-list")


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"password2": "something-else-entirely"}, "password2", PASSWORD_MISMATCH),
        ({"password1": "12345678", "password2": "12345678"}, "password2", "too common"),
        ({"email": ""}, "email", "This field is required."),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"username": "Alice"}, "username", "already exists"),
    ],
    ids=["mismatch", "weak", "no-email", "bad-email", "taken"],
)
def test_sign_up_errors_are_shown_beside_their_field(client, fields, field, message):
    """The page comes back with the message in the field's own error list."""
    UserFactory(username="alice")

    response = register(client, **fields)

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert message in html
    assert not User.objects.filter(username=fields.get("username", "carol")).exists()
    assert signed_in_user_id(client) is None


def test_signing_in_starts_a_session(client, user):
    """The right password signs in, says so, and sends the customer to the shop."""
    response = client.post(
        LOGIN_URL, {"username": user.username, "password": TEST_PASSWORD}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("catalog:product-list")
    assert signed_in_user_id(client) == str(user.pk)
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == [f"Signed in as {user.username}."]


def test_a_wrong_password_shows_an_error_on_the_login_page(client, user):
    """The login page comes back with the reason and without a session."""
    response = client.post(
        LOGIN_URL, {"username": user.username, "password": "wrong-password"}
    )

    assert response.status_code == HTTPStatus.OK
    assert "Please enter a correct username and password" in response.content.decode()
    assert signed_in_user_id(client) is None


@pytest.mark.parametrize("debug", [True, False])
def test_demo_users_are_shown_on_a_developers_machine_only(client, settings, debug):
    """The demo passwords appear on the login page only when DEBUG is on."""
    settings.DEBUG = debug

    response = client.get(LOGIN_URL)

    assert (DEMO_PASSWORD in response.content.decode()) is debug


def test_logging_out_ends_the_session(client, user):
    """A POST to the logout URL signs the customer out and goes to the shop."""
    client.force_login(user)

    response = client.post(LOGOUT_URL)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("catalog:product-list")
    assert signed_in_user_id(client) is None


def test_logging_out_needs_a_post(client, user):
    """A GET (a link, a prefetch) must not sign anyone out."""
    client.force_login(user)

    response = client.get(LOGOUT_URL)

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert signed_in_user_id(client) == str(user.pk)
