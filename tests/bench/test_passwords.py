"""The customers the bench and the chaos lab sign up: their password always passes
the validators both stacks run (``AUTH_PASSWORD_VALIDATORS``, the same list in the
monolith and the gateway).

A prefix shared with the usernames ("bench-...") was refused as too similar to the
email address about once in 7,000 sign-ups, and a whole stack's figures became
errors; 20,000 draws find that with a probability of 95 %.
"""

import secrets

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password

from bench.shopdata import customer_password

DRAWS = 20_000


def test_a_customer_password_always_passes_the_validators():
    for number in range(DRAWS):
        # Named as bench/shopdata.py and chaos/experiment.py name them.
        username = f"bench-{secrets.token_hex(4)}-{number % 8 + 1}"
        user = User(username=username, email=f"{username}@example.com")
        validate_password(customer_password(), user)  # raises ValidationError
