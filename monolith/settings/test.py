"""Tests: fast hashing, mail kept in memory, Celery eager for in-process tests.

The contract suite runs the monolith as a real gunicorn process with these settings
and overrides what it needs (database, Redis, eager Celery off) through the environment.
"""

from .base import *
from .base import VAR_DIR, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="django-insecure-test-only-0123456789abcdef")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = env(
    "EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend"
)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
CACHES["default"]["KEY_PREFIX"] = env("CACHE_KEY_PREFIX", default="monolith-test")

# SQLite tests use a file, not memory, so threads in the concurrency tests share it.
VAR_DIR.mkdir(exist_ok=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-monolith.sqlite3")}
