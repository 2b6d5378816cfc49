"""Tests: fast hashing, mail kept in memory, Celery eager for in-process tests.

The contract suite runs the monolith as a real gunicorn process with these settings
and overrides what it needs (database, Redis, eager Celery off) through the environment.
"""

import os

from monolith.core.jwt_keys import (
    local_private_key,
    private_key_from_env,
    simple_jwt_keys,
)

from .base import *
from .base import JWT_KEYS_DIR, SIMPLE_JWT, VAR_DIR, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="django-insecure-test-only-0123456789abcdef")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The API tokens' key, as for local runs; every process of a test stack shares it.
_JWT_KEY = private_key_from_env() or local_private_key(JWT_KEYS_DIR)
SIMPLE_JWT = {**SIMPLE_JWT, **simple_jwt_keys(_JWT_KEY)}
EMAIL_BACKEND = env(
    "EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend"
)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
# One prefix per pytest-xdist worker (`make test` runs two), as each has its own
# test database: a page one worker cached must not answer for the other.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
CACHES["default"]["KEY_PREFIX"] = env(
    "CACHE_KEY_PREFIX", default=f"monolith-test-{_WORKER}"
)
# Off unless OTEL_SDK_DISABLED=false: the tracing tests ask for it, the others run lean.
TRACING = env("OTEL_SDK_DISABLED", default="true").lower() != "true"

# SQLite tests use a file, not memory, so threads in the concurrency tests share it.
VAR_DIR.mkdir(exist_ok=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-monolith.sqlite3")}
