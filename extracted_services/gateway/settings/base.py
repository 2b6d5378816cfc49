"""The gateway service's settings; the chassis brings what all services share."""

from extracted_services.chassis.settings import *
from extracted_services.chassis.settings import CACHES, CHASSIS_APPS, database_for, env

SERVICE_NAME = "gateway"
# Named in the X-Served-By header and in page footers.
SERVED_BY = env("SERVED_BY", default="gateway")
ROOT_URLCONF = "extracted_services.gateway.urls"
WSGI_APPLICATION = "extracted_services.gateway.wsgi.application"
INSTALLED_APPS = [*CHASSIS_APPS, "extracted_services.gateway"]
DATABASES = {"default": database_for("gateway")}
CACHES["default"]["KEY_PREFIX"] = env("CACHE_KEY_PREFIX", default="gateway")
# The gateway owns the users: their tokens are checked against its own database.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_RATES": {"auth": env("AUTH_THROTTLE_RATE", default="10/min")},
}
SIMPLE_JWT = {**SIMPLE_JWT, "UPDATE_LAST_LOGIN": True}
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]
# The storefront's pages come through this host too: its cookies keep their names.
SESSION_COOKIE_NAME = "gateway_sessionid"
CSRF_COOKIE_NAME = "gateway_csrftoken"
SPECTACULAR_SETTINGS = {
    **SPECTACULAR_SETTINGS,
    "TITLE": "Shop API (services)",
    "DESCRIPTION": "The shop contract, served by the gateway and the services "
    "behind it: catalog, orders, and the storefront's echo lab.",
}
READINESS_CHECKS = {
    **READINESS_CHECKS,
    "catalog": "extracted_services.chassis.health.check_catalog",
    "orders": "extracted_services.chassis.health.check_orders",
    "storefront": "extracted_services.chassis.health.check_storefront",
}
# Forwarding: a page may take a while to build (several calls); still, never forever.
PROXY_TIMEOUT = env.float("PROXY_TIMEOUT", default=10.0)
PROXY_BREAKER_FAIL_MAX = 5
PROXY_BREAKER_RESET_SECONDS = 5
