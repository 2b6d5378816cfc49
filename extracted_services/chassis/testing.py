"""Test settings every service shares; each ``settings/test.py`` star-imports them.

Fast password hashing, mail kept in memory, Celery tasks run in the test's own process
(eager) unless the environment says otherwise, as the stack harness does. Keys: the
stack harness names its own folder (``KEYS_DIR``); otherwise a fresh one per run.
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from . import keys
from . import settings as _shared
from .settings import env

SECRET_KEY = env("SECRET_KEY", default="django-insecure-test-only-0123456789abcdef")
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
# A row the outbox relay cannot send raises at once, so the test that wrote it fails;
# in production it is noted and retried, then dead-lettered (chassis/outbox.py).
OUTBOX_STRICT = env.bool("OUTBOX_STRICT", default=True)
# A planned crash of the outbox relay, e.g. "after_send:3" (chassis/faults.py): read
# here only, never by the settings a deployment uses (production.py refuses it).
OUTBOX_FAULT = env("OUTBOX_FAULT", default="")
# Off unless OTEL_SDK_DISABLED=false: the tracing tests ask for it, the others run lean.
TRACING = env("OTEL_SDK_DISABLED", default="true").lower() != "true"


# Two runs of one suite at once share nothing: a lab worksheet's step runs a suite
# while `make test` runs the same suite beside it. Each run's database file and cache
# keys are named after its own process.
_RUN = str(os.getpid())


def sqlite_test_database(service: str) -> dict:
    """A file, not memory, so threads in the concurrency tests share one database:
    this run's own, in the temporary folder (the test runner deletes it after)."""
    name = f"shop-test-{service}-{_RUN}.sqlite3"
    return {"NAME": str(Path(tempfile.gettempdir()) / name)}


def cache_key_prefix(service: str) -> str:
    """This run's own cache keys in the shared Redis, or the stack harness's
    (``CACHE_KEY_PREFIX``), which names one per stack."""
    return env("CACHE_KEY_PREFIX", default=f"{service}-test-{_RUN}")


if env("KEYS_DIR", default=""):
    # A stack the harness started: the keys it made, and a service holds only the
    # public key, as in production.
    KEYS_DIR = Path(env("KEYS_DIR"))
    JWT_TEST_KEYS: dict[str, str | None] = {}
else:
    # A service's own tests: keys made for this run, every service's. A test plays
    # the gateway (simplejwt's AccessToken signs with SIGNING_KEY) or a caller.
    KEYS_DIR = keys.ensure_keys(Path(tempfile.mkdtemp(prefix="shop-test-keys-")))
    atexit.register(shutil.rmtree, KEYS_DIR, ignore_errors=True)
    JWT_TEST_KEYS = {
        "SIGNING_KEY": keys.read_pem(KEYS_DIR / keys.JWT_PRIVATE),
        "VERIFYING_KEY": keys.read_pem(KEYS_DIR / keys.JWT_PUBLIC),
    }
SIMPLE_JWT = {**_shared.SIMPLE_JWT, **JWT_TEST_KEYS}
