"""Settings every service shares; each service's ``settings/base.py`` star-imports them.

Values come from the environment (https://12factor.net/config) through django-environ.
A service then names itself and adds what is its own: its apps, its URLs, its database
file, the checks of its /readyz. Production hardening is in ``chassis.production``.
"""

from datetime import timedelta
from pathlib import Path

import environ

from .keys import JWT_PUBLIC, key_from_env

REPO_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = REPO_DIR / "var"  # databases and metrics of local runs (git-ignored)

env = environ.Env()
CHASSIS = "extracted_services.chassis"  # dotted paths below start with it

# ------------------------------------------------------------------------------------
# Core: https://docs.djangoproject.com/en/5.2/ref/settings/#core-settings
# ------------------------------------------------------------------------------------
SECRET_KEY = env("SECRET_KEY", default="")  # each environment decides what it accepts
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
# The largest request body accepted: 1 MB (an order of 20 lines is under 2 KB). Above
# it, a 413 problem (core/hardening.py). Django's default is 2.5 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=1_000_000)
# Behind the gateway: links in answers (a page's "next") name the gateway's address,
# which it passes as X-Forwarded-Host. Services listen on loopback only.
USE_X_FORWARDED_HOST = env.bool("USE_X_FORWARDED_HOST", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CHASSIS_APPS = [
    # First, so that its admin/base_site.html (the footer) wins over Django's own.
    "extracted_services.chassis",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    "extracted_services.chassis.middleware.RequestIdMiddleware",
    "extracted_services.chassis.middleware.MetricsMiddleware",
    # Before anything reads the body or the host: problem+json for /api/ errors.
    "extracted_services.chassis.hardening.ApiProblemMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "extracted_services.chassis.hardening.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "extracted_services.chassis.context_processors.served_by",
            ],
        },
    },
]

# ------------------------------------------------------------------------------------
# Database: https://docs.djangoproject.com/en/5.2/ref/settings/#databases
# ------------------------------------------------------------------------------------


def database_for(service: str) -> dict:
    """DATABASE_URL, or a SQLite file of the service's own under var/.

    SQLite runs in WAL mode with immediate transactions, as in the monolith: writers
    queue for the lock instead of failing half-way.
    """
    database = env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / service}.sqlite3")
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    else:
        database["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
        database["CONN_HEALTH_CHECKS"] = True
    return database


# ------------------------------------------------------------------------------------
# Redis: cache and Celery broker. https://docs.djangoproject.com/en/5.2/topics/cache/
# ------------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        # Set per service (CACHE_KEY_PREFIX), so services sharing a Redis never collide.
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default=""),
    }
}

# Celery: https://docs.celeryq.dev/en/stable/userguide/configuration.html
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ACKS_LATE = True  # a task is acknowledged once done, not once received
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # a killed worker's task is delivered again
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
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # log through LOGGING: lines carry the id
ORDERS_QUEUE = env("ORDERS_QUEUE", default="orders")
PAYMENTS_QUEUE = env("PAYMENTS_QUEUE", default="payments")
# An outbox row that failed this many times is dead-lettered (chassis/outbox.py).
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=10)
# How long a relay's claim on a row lasts (seconds): longer than one send. A relay
# that dies holding one delays that row this long, then another relay sends it.
OUTBOX_LEASE_SECONDS = env.int("OUTBOX_LEASE_SECONDS", default=30)
# Send each row as soon as its transaction commits, from the process that wrote it,
# and leave the relay to sweep up what that missed (chassis/outbox.py). Off: the
# relay alone sends, a poll later (the benchmark's "relay-only" switch).
OUTBOX_PUBLISH_ON_COMMIT = env.bool("OUTBOX_PUBLISH_ON_COMMIT", default=True)
# Seconds between the relay's looks at an empty outbox. A sweeper behind the send
# after commit can look once a second; a relay that sends everything must look
# often, each look being a wait every message pays (and a query every process pays).
OUTBOX_RELAY_INTERVAL = env.float(
    "OUTBOX_RELAY_INTERVAL", default=1.0 if OUTBOX_PUBLISH_ON_COMMIT else 0.1
)
# The relay's chores: dotted paths of functions it calls every OUTBOX_CHORE_SECONDS
# (a service's sweepers, e.g. the saga's timeouts), each on its own (chassis/chores.py).
OUTBOX_RELAY_CHORES: list[str] = []
OUTBOX_CHORE_SECONDS = env.float("OUTBOX_CHORE_SECONDS", default=5.0)

# ------------------------------------------------------------------------------------
# Other services: where they are, and how long to wait for them.
# ------------------------------------------------------------------------------------
SERVICE_URLS = {
    "gateway": env("GATEWAY_URL", default="http://127.0.0.1:8100"),
    "catalog": env("CATALOG_URL", default="http://127.0.0.1:8101"),
    "orders": env("ORDERS_URL", default="http://127.0.0.1:8102"),
    "payments": env("PAYMENTS_URL", default="http://127.0.0.1:8103"),
    "storefront": env("STOREFRONT_URL", default="http://127.0.0.1:8104"),
    "recommendations": env("RECOMMENDATIONS_URL", default="http://127.0.0.1:8105"),
    "reports": env("REPORTS_URL", default="http://127.0.0.1:8106"),
}
HTTP_TIMEOUT = env.float("HTTP_TIMEOUT", default=2.0)
# Seconds an open circuit breaker waits before it lets a trial call through. Every
# process of a service shares its breakers (chassis/breakers.py), so a dependency
# that is back is used again within this long, by all of them; shorter would only
# send a dead one more trial calls, each costing its caller up to HTTP_TIMEOUT.
CIRCUIT_BREAKER_RESET_SECONDS = env.float("CIRCUIT_BREAKER_RESET_SECONDS", default=2.0)

# ------------------------------------------------------------------------------------
# Auth: users' JWTs from the gateway; service-to-service tokens. docs/security.md
# https://django-rest-framework-simplejwt.readthedocs.io/en/latest/settings.html
# ------------------------------------------------------------------------------------
# The folder of the stack's public keys and this service's own key (chassis/keys.py).
# make run fills var/keys/ once; production refuses it.
KEYS_DIR = Path(env("KEYS_DIR", default=str(VAR_DIR / "keys")))
SIMPLE_JWT = {
    # The gateway signs with its private key; a service holds only the public key,
    # so it can check a user's token but never make one.
    "ALGORITHM": "RS256",
    "SIGNING_KEY": None,
    "VERIFYING_KEY": key_from_env("JWT_PUBLIC_KEY", KEYS_DIR / JWT_PUBLIC),
    "AUDIENCE": env("JWT_AUDIENCE", default="shop"),
    "ISSUER": env("JWT_ISSUER", default="shop-gateway"),
    # Short-lived: a stolen token, or a staff flag taken away, counts for 5 minutes.
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=5),
}

# ------------------------------------------------------------------------------------
# Django REST framework: https://www.django-rest-framework.org/api-guide/settings/
# ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        f"{CHASSIS}.auth.JWTAuthentication",
        # Lets a signed-in student use the browsable API from the same browser.
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": f"{CHASSIS}.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": f"{CHASSIS}.problems.problem_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # DRF's own, except JSON: too deep a body is a 400 there, not a 500.
    "DEFAULT_PARSER_CLASSES": [
        f"{CHASSIS}.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Behind the gateway, one proxy: its X-Forwarded-For (which it sets, never passes
    # on) names the client. The gateway, the public door, trusts none (its settings).
    "NUM_PROXIES": env.int("NUM_PROXIES", default=1),
}
SPECTACULAR_SETTINGS = {
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
        "extracted_services.chassis.pagination.document_missing_pages",
        "extracted_services.chassis.hardening.document_refusals",
    ],
}

# ------------------------------------------------------------------------------------
# Health: what /readyz checks. A service adds the services it cannot work without.
# ------------------------------------------------------------------------------------
READINESS_CHECKS = {
    "database": "extracted_services.chassis.health.check_database",
    "redis": "extracted_services.chassis.health.check_redis",
}
# The credential Prometheus sends to read /metrics (Authorization: Bearer <token>).
# Empty, /metrics is open to whoever reaches the port: fine for local runs, which
# listen on loopback only; production settings refuse to start without one.
METRICS_TOKEN = env("METRICS_TOKEN", default="")

# ------------------------------------------------------------------------------------
# Internationalisation and static files
# ------------------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
STATIC_ROOT = None  # production collects into one; local runs serve the apps' folders
WHITENOISE_USE_FINDERS = True

# ------------------------------------------------------------------------------------
# Tracing (chassis/tracing.py, docs/tracing.md): OpenTelemetry's own switches,
# https://opentelemetry.io/docs/languages/sdk-configuration/general/
# ------------------------------------------------------------------------------------
# On unless OTEL_SDK_DISABLED=true. Spans go to OTEL_EXPORTER_OTLP_ENDPOINT when it is
# set (Jaeger under compose), else to JSON lines here, which `python -m tracing` reads.
TRACING = env("OTEL_SDK_DISABLED", default="false").lower() != "true"
TRACES_DIR = Path(env("TRACES_DIR", default=str(VAR_DIR / "traces")))

# ------------------------------------------------------------------------------------
# Logging: every line carries the request id. https://docs.djangoproject.com/en/5.2/topics/logging/
# ------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": f"{CHASSIS}.logging.RequestIdFilter"}},
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
    "loggers": {"httpx": {"level": "WARNING"}},
}
