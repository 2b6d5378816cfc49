"""Production hardening every service shares: ``from chassis.production import *``.

Star-imported last by each service's ``settings/production.py``: it refuses to start
with a missing or development key, and ``check --deploy`` passes with no warning.
"""

from django.core.exceptions import ImproperlyConfigured

from . import keys
from .settings import KEYS_DIR, VAR_DIR, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY or SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "Set SECRET_KEY to a random value of 50 characters or more, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(64))'"
    )
# Keys: a folder of real ones, never the development keys `make run` made.
if KEYS_DIR.resolve() == (VAR_DIR / "keys").resolve():
    raise ImproperlyConfigured(
        "Set KEYS_DIR to the folder of this deployment's keys: var/keys/ holds "
        "development keys (python -m extracted_services.chassis.keys --help)."
    )
_problem = keys.public_key_problem(
    keys.key_from_env("JWT_PUBLIC_KEY", KEYS_DIR / keys.JWT_PUBLIC)
)
if _problem:
    raise ImproperlyConfigured(_problem)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")  # no default: name the real hosts
# /metrics for the scraper only: anyone who reaches a port must not read the figures.
METRICS_TOKEN = env("METRICS_TOKEN", default="")
if len(METRICS_TOKEN) < 32:
    raise ImproperlyConfigured(
        "Set METRICS_TOKEN to a random value of 32 characters or more, the bearer "
        "token Prometheus sends to read /metrics, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(32))'"
    )
# A planned crash is for tests only (chassis/faults.py): never in a deployment.
if env("OUTBOX_FAULT", default=""):
    raise ImproperlyConfigured("OUTBOX_FAULT plans crashes for tests: unset it.")
OUTBOX_FAULT = ""

# Security: https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
STATIC_ROOT = env("STATIC_ROOT", default=str(VAR_DIR / "staticfiles"))
WHITENOISE_USE_FINDERS = False
