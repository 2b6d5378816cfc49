"""A burst of sign-ins hashes a few at a time; the rest wait, then a 503, not a hang."""

from collections.abc import Iterator
from http import HTTPStatus

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password
from django.contrib.auth.models import User

from extracted_services.gateway import hashing
from extracted_services.gateway.settings import base as gateway_settings

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-9"
TOKEN_URL = "/api/auth/token/"


class QuickBoundedHasher(hashing.BoundedPBKDF2PasswordHasher):
    """The gateway's hasher with one round: the same slots, without the wait."""

    iterations = 1


@pytest.fixture
def one_slot(settings) -> Iterator[None]:
    """The gateway's bounded hasher, one hash at a time, a short wait for a turn."""
    settings.PASSWORD_HASHERS = [f"{__name__}.QuickBoundedHasher"]
    settings.PASSWORD_CHECKS_AT_ONCE = 1
    settings.PASSWORD_CHECK_WAIT = 0.05
    hashing.hashing_slots.cache_clear()  # slots made from these settings
    yield
    hashing.hashing_slots.cache_clear()


@pytest.fixture
def carol(one_slot) -> User:
    return User.objects.create_user("carol", "carol@example.com", PASSWORD)


def test_the_gateway_hashes_with_the_bounded_pbkdf2_and_its_full_cost():
    """Its settings name the bounded hasher first; PBKDF2's rounds are Django's own."""
    first = gateway_settings.PASSWORD_HASHERS[0]
    assert first == "extracted_services.gateway.hashing.BoundedPBKDF2PasswordHasher"
    bounded = hashing.BoundedPBKDF2PasswordHasher()
    assert bounded.iterations == PBKDF2PasswordHasher.iterations
    assert bounded.algorithm == PBKDF2PasswordHasher.algorithm  # nothing rehashed


def test_a_sign_in_with_every_slot_taken_is_a_503_problem_with_retry_after(api, carol):
    """No slot frees in time: 503 too-many-sign-ins and Retry-After, not a hang."""
    slots = hashing.hashing_slots()
    assert slots.acquire(blocking=False)  # another sign-in is hashing
    try:
        body = {"username": "carol", "password": PASSWORD}
        response = api.post(TOKEN_URL, body, format="json")
    finally:
        slots.release()

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == str(hashing.RETRY_AFTER_SECONDS)
    problem = response.json()
    assert problem["type"] == "/problems/too-many-sign-ins"
    assert problem["detail"] == hashing.TOO_MANY_SIGN_INS


def test_an_unknown_username_waits_for_a_slot_too(api, one_slot):
    """Django's dummy hash for a missing user is bounded like a real one."""
    slots = hashing.hashing_slots()
    assert slots.acquire(blocking=False)
    try:
        body = {"username": "nobody", "password": PASSWORD}
        response = api.post(TOKEN_URL, body, format="json")
    finally:
        slots.release()

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE


@pytest.mark.parametrize(
    ("password", "status"),
    [(PASSWORD, HTTPStatus.OK), ("not-her-password", HTTPStatus.UNAUTHORIZED)],
)
def test_a_sign_in_gives_its_slot_back(api, carol, password, status):
    """Right or wrong password, the slot is free again for the next sign-in."""
    body = {"username": "carol", "password": password}
    assert api.post(TOKEN_URL, body, format="json").status_code == status

    slots = hashing.hashing_slots()
    assert slots.acquire(blocking=False)
    slots.release()


def test_a_hash_made_by_djangos_own_pbkdf2_still_verifies(one_slot, settings):
    """Stored hashes keep the name pbkdf2_sha256: the bounded hasher reads them."""
    encoded = PBKDF2PasswordHasher().encode(PASSWORD, "somesalt", iterations=1)
    settings.PASSWORD_HASHERS = [
        "extracted_services.gateway.hashing.BoundedPBKDF2PasswordHasher"
    ]

    assert check_password(PASSWORD, encoded)
