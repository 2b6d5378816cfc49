"""Writes for accounts: signing a new customer up.

Copied on purpose from monolith/accounts/services.py: the users moved here;
tests/test_copies.py keeps the two identical.
"""

from django.contrib.auth.models import User  # the shop uses Django's own User model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction


@transaction.atomic
def user_create(*, username: str, email: str, password: str) -> User:
    """Create an active customer account; the password is stored only as a hash.

    Raises ``ValidationError`` on ``"password"`` when ``AUTH_PASSWORD_VALIDATORS``
    reject it, whoever the caller is: the sign-up page, the API or a seed command.
    """
    try:
        # The validators compare the password with the username and email address.
        validate_password(password, user=User(username=username, email=email))
    except ValidationError as exc:
        raise ValidationError({"password": exc.error_list}) from exc
    return User.objects.create_user(username=username, email=email, password=password)
