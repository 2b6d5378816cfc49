"""The gateway service's settings; the chassis brings what all services share."""

from extracted_services.chassis.keys import JWT_PRIVATE, key_from_env
from extracted_services.chassis.settings import *
from extracted_services.chassis.settings import (
    CACHES,
    CHASSIS_APPS,
    CIRCUIT_BREAKER_RESET_SECONDS,
    KEYS_DIR,
    MIDDLEWARE,
    SIMPLE_JWT,
    database_for,
    env,
)

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
    # The public door: no proxy in front whose X-Forwarded-For we trust, unless the
    # deployment says so. A client's own header never picks the throttle's key.
    "NUM_PROXIES": env.int("GATEWAY_NUM_PROXIES", default=0),
}
MIDDLEWARE = [
    *MIDDLEWARE,
    # The sign-in rate limit of the API, on the admin's sign-in form too.
    "extracted_services.gateway.throttling.SignInFormThrottleMiddleware",
]
SIGN_IN_FORM_PATHS = ["/admin/login/"]
# Only the gateway's settings hold the private key: it alone signs users' tokens.
SIMPLE_JWT = {
    **SIMPLE_JWT,
    "SIGNING_KEY": key_from_env("JWT_PRIVATE_KEY", KEYS_DIR / JWT_PRIVATE),
    "UPDATE_LAST_LOGIN": True,
}
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]
# Password hashing: https://docs.djangoproject.com/en/5.2/topics/auth/passwords/
# Django's own list, with its PBKDF2 made to take a few cores at most (hashing.py):
# a burst of sign-ins must leave cores for the pages.
PASSWORD_HASHERS = [
    "extracted_services.gateway.hashing.BoundedPBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Hashes at once per process (about 0.3 s of a core each), and how long a sign-in
# waits for a turn before its 503: under the storefront's STOREFRONT_SIGN_IN_TIMEOUT.
PASSWORD_CHECKS_AT_ONCE = env.int("PASSWORD_CHECKS_AT_ONCE", default=1)
PASSWORD_CHECK_WAIT = env.float("PASSWORD_CHECK_WAIT", default=6.0)
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
# The cookies that cross the gateway, both ways, by service: those of the services
# that serve pages. Any other service's Set-Cookie (an API's session) stops here.
PROXY_COOKIES = {
    "storefront": ["sessionid", "csrftoken", "messages"],
    "reports": ["reports_session"],  # the report page's own sign-in
}
# Forwarding: a page may take a while to build (several calls); still, never forever.
PROXY_TIMEOUT = env.float("PROXY_TIMEOUT", default=10.0)
PROXY_BREAKER_FAIL_MAX = 5
# Open, a breaker (shared by every gateway process) tries again after this many
# seconds: as the services' own, for the same reason (chassis/settings.py).
PROXY_BREAKER_RESET_SECONDS = CIRCUIT_BREAKER_RESET_SECONDS
