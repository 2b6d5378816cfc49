"""Settings shared by every environment of the monolith.

Values come from the environment (https://12factor.net/config) through django-environ;
``local.py``, ``test.py`` and ``production.py`` start from here and change what differs.
"""

from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"  # databases, mail and metrics of local runs (git-ignored)

env = environ.Env()

# ------------------------------------------------------------------------------------
# Core: https://docs.djangoproject.com/en/5.2/ref/settings/#core-settings
# ------------------------------------------------------------------------------------
SECRET_KEY = env("SECRET_KEY", default="")  # each environment decides what it accepts
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
# The largest request body accepted: 1 MB (an order of 20 lines is under 2 KB). Above
# it, a 413 problem (core/hardening.py). Django's default is 2.5 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=1_000_000)
ROOT_URLCONF = "monolith.urls"
WSGI_APPLICATION = "monolith.wsgi.application"
SERVED_BY = env("SERVED_BY", default="monolith")  # shown in X-Served-By and the footer
# Where the pages get their data (monolith/shop.py): this process's own apps, here.
# A dotted path to the class, as SESSION_ENGINE is; the storefront names its own.
SHOP_BACKEND = "monolith.shop.LocalShop"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework_simplejwt",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "monolith.core",
    "monolith.accounts",
    "monolith.catalog",
    "monolith.cart",
    "monolith.orders",
    "monolith.payments",
    "monolith.recommendations",
    "monolith.reports",
    "echoapp",
]

MIDDLEWARE = [
    "monolith.core.middleware.RequestIdMiddleware",
    "monolith.core.middleware.MetricsMiddleware",
    # Before anything reads the body or the host: problem+json for /api/ errors.
    "monolith.core.hardening.ApiProblemMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "monolith.core.hardening.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # The sign-in rate limit of the API, on the sign-in forms (SIGN_IN_FORM_PATHS).
    "monolith.accounts.throttling.SignInFormThrottleMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "monolith" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "monolith.core.context_processors.served_by",
                "monolith.cart.context_processors.cart_summary",
            ],
        },
    },
]

# ------------------------------------------------------------------------------------
# Database: https://docs.djangoproject.com/en/5.2/ref/settings/#databases
# SQLite by default (WAL, immediate transactions so writers queue instead of failing);
# PostgreSQL when DATABASE_URL says so.
# ------------------------------------------------------------------------------------
DATABASES = {
    "default": env.db(
        "DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'monolith.sqlite3'}"
    ),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# MongoDB for the echo lab, only when MONGODB_URI is set (docs/decisions/0001-*.md).
MONGODB_URI = env("MONGODB_URI", default="")
if MONGODB_URI:
    DATABASES["mongodb"] = {
        "ENGINE": "django_mongodb_backend",
        "HOST": MONGODB_URI,
        "NAME": env("MONGODB_NAME", default="echo_lab"),
    }
    DATABASE_ROUTERS = ["echoapp.routers.EchoMongoRouter"]

# ------------------------------------------------------------------------------------
# Redis: cache, Celery broker, throttling.
# https://docs.djangoproject.com/en/5.2/topics/cache/#redis
# ------------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="monolith"),
    }
}

# Celery: https://docs.celeryq.dev/en/stable/userguide/configuration.html
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
# One named queue per stack, so two stacks (or two test servers) can share a Redis.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="monolith")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# A killed worker's message goes back on the queue once it has been unacknowledged
# this long (seconds), not after Redis's default hour. Every task here is short and
# idempotent, so a slow task delivered twice is harmless. A task held for a retry's
# countdown is unacknowledged too: keep countdowns short of this (docs/reliability.md).
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=30)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # Look for such messages every few seconds (kombu's default is about 100 s).
    "unacked_restore_interval": max(1, CELERY_VISIBILITY_TIMEOUT // 6),
    "unacked_restore_throttle": 1,
}
# Let the worker log through LOGGING below, so its lines carry the request id too.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Recommendations (monolith/recommendations): where the model artifacts go, how often
# the worker retrains on new paid orders, how often a server looks for a newer one.
RECOMMENDATIONS_MODEL_DIR = Path(
    env("RECOMMENDATIONS_MODEL_DIR", default=str(VAR_DIR / "monolith-recommendations"))
)
RECOMMENDATIONS_TRAIN_INTERVAL = env.float("RECOMMENDATIONS_TRAIN_INTERVAL", default=5)
RECOMMENDATIONS_RELOAD_INTERVAL = env.float(
    "RECOMMENDATIONS_RELOAD_INTERVAL", default=1
)

# ------------------------------------------------------------------------------------
# Auth: https://docs.djangoproject.com/en/5.2/ref/settings/#auth
# ------------------------------------------------------------------------------------
_VALIDATORS = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATORS}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_VALIDATORS}.MinimumLengthValidator"},
    {"NAME": f"{_VALIDATORS}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATORS}.NumericPasswordValidator"},
]
# The forms the "auth" rate limits, as the API's sign-in (accounts/throttling.py).
SIGN_IN_FORM_PATHS = ["/accounts/login/", "/admin/login/"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "catalog:product-list"
LOGOUT_REDIRECT_URL = "catalog:product-list"

# ------------------------------------------------------------------------------------
# Internationalisation and static files
# https://docs.djangoproject.com/en/5.2/ref/settings/#std-setting-STATIC_ROOT
# ------------------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "monolith" / "static"]
# Local runs serve straight from the apps' static folders; production collects them.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True

# ------------------------------------------------------------------------------------
# Email: https://docs.djangoproject.com/en/5.2/topics/email/
# ------------------------------------------------------------------------------------
EMAIL_BACKEND = env(
    "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="shop@localhost")

# ------------------------------------------------------------------------------------
# Django REST framework: https://www.django-rest-framework.org/api-guide/settings/
# ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
        # Lets a signed-in student use the browsable API from the same browser.
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "monolith.core.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "monolith.core.problems.problem_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # DRF's own, except JSON: too deep a body is a 400 there, not a 500.
    "DEFAULT_PARSER_CLASSES": [
        "monolith.core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "auth": env("AUTH_THROTTLE_RATE", default="10/min"),
    },
    # Proxies in front of us whose X-Forwarded-For the rate limits trust: none by
    # default, so a client cannot pick a new address for each try.
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Shop API (monolith)",
    "DESCRIPTION": "The shop contract: catalog, orders, auth and the echo lab.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from drf-spectacular-sidecar: served locally, no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # drf-spectacular's own hook first; then every paginated list documents its 404,
    # and every operation the 414 (and 413) the hardening middleware may answer.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "monolith.core.pagination.document_missing_pages",
        "monolith.core.hardening.document_refusals",
    ],
}

# API tokens: https://django-rest-framework-simplejwt.readthedocs.io/en/latest/settings.html
# Signed with a private key and checked with its public half (RS256), as the services
# stack's gateway does (docs/security.md). Each environment adds the keys: from
# JWT_PRIVATE_KEY(_FILE) in production, made once in JWT_KEYS_DIR for local runs.
JWT_KEYS_DIR = Path(env("JWT_KEYS_DIR", default=str(VAR_DIR / "keys" / "monolith")))
SIMPLE_JWT = {
    "ALGORITHM": "RS256",
    "AUDIENCE": env("JWT_AUDIENCE", default="shop"),
    "ISSUER": env("JWT_ISSUER", default="shop-monolith"),
    # Short-lived: a stolen token, or a staff flag taken away, counts for 5 minutes.
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=5),
    "UPDATE_LAST_LOGIN": True,
}

# ------------------------------------------------------------------------------------
# Operations: /healthz, /readyz and /metrics (core/views.py).
# ------------------------------------------------------------------------------------
# The credential Prometheus sends to read /metrics (Authorization: Bearer <token>).
# Empty, /metrics is open to whoever reaches the port: fine for local runs, which
# listen on loopback only; production settings refuse to start without one.
METRICS_TOKEN = env("METRICS_TOKEN", default="")

# ------------------------------------------------------------------------------------
# Tracing (core/tracing.py, docs/tracing.md): OpenTelemetry's own switches,
# https://opentelemetry.io/docs/languages/sdk-configuration/general/
# ------------------------------------------------------------------------------------
# On unless OTEL_SDK_DISABLED=true. Spans go to OTEL_EXPORTER_OTLP_ENDPOINT when it is
# set (Jaeger under compose), else to JSON lines here, which `python -m tracing` reads.
TRACING = env("OTEL_SDK_DISABLED", default="false").lower() != "true"
TRACES_DIR = Path(env("TRACES_DIR", default=str(VAR_DIR / "traces")))

# ------------------------------------------------------------------------------------
# Logging: every line carries the request id.
# https://docs.djangoproject.com/en/5.2/topics/logging/
# ------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "monolith.core.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.server": {"level": "WARNING"},
    },
}
