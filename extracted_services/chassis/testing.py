"""Test settings every service shares; each ``settings/test.py`` star-imports them.

Fast password hashing, mail kept in memory, Celery tasks run in the test's own process
(eager) unless the environment says otherwise, as the stack harness does.
"""

from .settings import VAR_DIR, env

SECRET_KEY = env("SECRET_KEY", default="django-insecure-test-only-0123456789abcdef")
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]


def sqlite_test_database(service: str) -> dict:
    """A file, not memory, so threads in the concurrency tests share one database."""
    VAR_DIR.mkdir(exist_ok=True)
    return {"NAME": str(VAR_DIR / f"test-{service}.sqlite3")}
