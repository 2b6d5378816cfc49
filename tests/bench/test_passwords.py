"""The customers the bench and the chaos lab sign up: their password always passes
the validators both stacks run (``AUTH_PASSWORD_VALIDATORS``, the same list in the
monolith and the gateway).

Twice a password was refused about once in thousands of sign-ups ("too similar to
the email address", then "to the username"), and a whole stack's figures became
errors. Random draws found each only now and then, so the first test takes the
worst case instead: a name made of the password's own characters.
"""

import secrets

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password

from bench.shopdata import customer_password

DRAWS = 2_000
LONGEST_NAME = len("bench-34d5d88e-8")  # as bench/shopdata.py names the customers


def customer(username: str) -> User:
    """A customer as ShopClient.sign_up makes one."""
    return User(username=username, email=f"{username}@example.com")


def test_a_name_copied_from_the_password_itself_is_still_not_too_similar():
    password = customer_password()
    # Every character of the name and most of the email's are in the password.
    validate_password(password, customer(password[:LONGEST_NAME]))  # raises if refused


def test_a_customer_password_passes_the_validators_for_random_names():
    for number in range(DRAWS):
        # Named as bench/shopdata.py and chaos/experiment.py name them.
        username = f"bench-{secrets.token_hex(4)}-{number % 8 + 1}"
        validate_password(customer_password(), customer(username))
