"""Tests: fast hashing, mail kept in memory, Celery eager for in-process tests.

The contract suite runs the monolith as a real gunicorn process with these settings
and overrides what it needs (database, Redis, eager Celery off) through the environment.
"""

import os
import tempfile
from pathlib import Path

from monolith.core.jwt_keys import (
    local_private_key,
    private_key_from_env,
    simple_jwt_keys,
)

from .base import *
from .base import JWT_KEYS_DIR, SIMPLE_JWT, env

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
# Each test process shares nothing with another: `make test` runs two pytest-xdist
# workers, and a lab worksheet's step may run this suite beside them. Each has its
# own database file and cache keys, named after its process: a page one cached must
# not answer for another.
_RUN = str(os.getpid())
CACHES["default"]["KEY_PREFIX"] = env(
    "CACHE_KEY_PREFIX", default=f"monolith-test-{_RUN}"
)
# Off unless OTEL_SDK_DISABLED=false: the tracing tests ask for it, the others run lean.
TRACING = env("OTEL_SDK_DISABLED", default="true").lower() != "true"

# SQLite tests use a file, not memory, so threads in the concurrency tests share it;
# in the temporary folder, and the test runner deletes it after.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _NAME = f"shop-test-monolith-{_RUN}.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / _NAME)}
