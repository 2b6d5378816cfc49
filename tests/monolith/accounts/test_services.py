"""user_create: the one way a customer account is made."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from monolith.accounts.services import user_create

from .helpers import STRONG_PASSWORD

pytestmark = pytest.mark.django_db


def test_user_create_stores_a_hash_not_the_password():
    """The new account signs in with its password, which is kept only hashed."""
    user = user_create(
        username="carol", email="carol@example.com", password=STRONG_PASSWORD
    )

    user.refresh_from_db()
    assert user.is_active
    assert user.password != STRONG_PASSWORD
    assert user.check_password(STRONG_PASSWORD)


def test_user_create_rejects_a_weak_password_on_the_password_field():
    """A password the validators reject raises on "password" and creates nobody."""
    with pytest.raises(ValidationError) as raised:
        user_create(username="carol", email="carol@example.com", password="carol123")

    assert "password" in raised.value.message_dict
    assert not User.objects.filter(username="carol").exists()
