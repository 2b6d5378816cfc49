"""Production: everything from the environment; refuses to start with a weak key."""

from django.core.exceptions import ImproperlyConfigured

from monolith.core.jwt_keys import private_key_from_env, simple_jwt_keys

from .base import *
from .base import BASE_DIR, SIMPLE_JWT, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY or SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "Set SECRET_KEY to a random value of 50 characters or more, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(64))'"
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")  # no default: name the real hosts
# /metrics for the scraper only: anyone who reaches a port must not read the figures.
METRICS_TOKEN = env("METRICS_TOKEN", default="")
if len(METRICS_TOKEN) < 32:
    raise ImproperlyConfigured(
        "Set METRICS_TOKEN to a random value of 32 characters or more, the bearer "
        "token Prometheus sends to read /metrics, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(32))'"
    )
# The API tokens' private key comes in from outside, never from var/keys/.
_JWT_KEY = private_key_from_env()
if not _JWT_KEY:
    raise ImproperlyConfigured(
        "Set JWT_PRIVATE_KEY (or JWT_PRIVATE_KEY_FILE) to the RSA private key that "
        "signs API tokens, e.g. openssl genpkey -algorithm RSA "
        "-pkeyopt rsa_keygen_bits:2048"
    )
SIMPLE_JWT = {**SIMPLE_JWT, **simple_jwt_keys(_JWT_KEY)}

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
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "var" / "staticfiles"))
WHITENOISE_USE_FINDERS = False
EMAIL_BACKEND = env(
    "EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend"
)
