"""Password hashing that never takes every core: a few checks at once, the rest wait.

Checking a password is slow on purpose (PBKDF2, a million rounds: about 0.3 s of one
core), and it is the only CPU-heavy thing the gateway does. Left alone, a burst of
sign-ins hashes on every thread at once: the cores are all busy hashing, and the pages
the gateway forwards meanwhile wait for a core. This hasher keeps Django's PBKDF2 and
its cost, and lets only ``PASSWORD_CHECKS_AT_ONCE`` hashes run at once in a process.
The others wait for a slot, asleep, for up to ``PASSWORD_CHECK_WAIT`` seconds; past
that, the caller gets a 503 problem with Retry-After instead of a hang.

It is a hasher, named first in ``PASSWORD_HASHERS``, so that every path that hashes is
bounded: the token API, sign-up, the admin's sign-in, and the dummy hash Django runs
for an unknown username (which an attacker could otherwise use to spend our CPU).
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from http import HTTPStatus

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from extracted_services.chassis.problems import ProblemError

TOO_MANY_SIGN_INS = "Too many sign-ins at once: please try again in a moment."
RETRY_AFTER_SECONDS = 1  # a slot frees every fraction of a second


class TooManySignIns(ProblemError):
    """Every hashing slot stayed busy for the whole wait: 503, try again soon."""

    status_code = HTTPStatus.SERVICE_UNAVAILABLE
    slug = "too-many-sign-ins"
    title = "Too many sign-ins at once"

    def __init__(self) -> None:
        super().__init__(
            TOO_MANY_SIGN_INS, headers={"Retry-After": str(RETRY_AFTER_SECONDS)}
        )


@cache
def hashing_slots() -> threading.BoundedSemaphore:
    """This process's slots, made on first use (settings are read then, not at
    import); every thread of a gunicorn worker shares them."""
    return threading.BoundedSemaphore(settings.PASSWORD_CHECKS_AT_ONCE)


@contextmanager
def hashing_slot() -> Iterator[None]:
    """Hold one slot while hashing; ``TooManySignIns`` if none frees up in time."""
    slots = hashing_slots()
    if not slots.acquire(timeout=settings.PASSWORD_CHECK_WAIT):
        raise TooManySignIns
    try:
        yield
    finally:
        slots.release()


class BoundedPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """Django's PBKDF2 (same algorithm name, same rounds), a few hashes at a time.

    ``verify`` and ``harden_runtime`` hash through ``encode``, so bounding ``encode``
    bounds them all. Stored hashes stay ``pbkdf2_sha256$...``: nothing is rehashed.
    """

    def encode(self, password: str, salt: str, iterations: int | None = None) -> str:
        with hashing_slot():
            return super().encode(password, salt, iterations)
