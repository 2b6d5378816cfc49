"""The storefront's settings: the monolith's pages, served with the services' data.

The same views, forms and templates as the monolith's; ``SHOP_BACKEND`` makes them
read and write through the services' APIs (this service's shop/ package, RemoteShop)
instead of a database. What the storefront keeps itself: sessions, "shadow" users
(one per signed-in customer, without a password) and the echo lab's submissions.
"""

from typing import Any, cast

from extracted_services.chassis.settings import *
from extracted_services.chassis.settings import (
    CACHES,
    CHASSIS_APPS,
    MIDDLEWARE,
    READINESS_CHECKS,
    REPO_DIR,
    REST_FRAMEWORK,
    SERVICE_URLS,
    SPECTACULAR_SETTINGS,
    TEMPLATES,
    database_for,
    env,
)

SERVICE_NAME = "storefront"
# Named in the X-Served-By header and in page footers.
SERVED_BY = env("SERVED_BY", default="storefront")
ROOT_URLCONF = "extracted_services.storefront.urls"
WSGI_APPLICATION = "extracted_services.storefront.wsgi.application"
INSTALLED_APPS = [
    *CHASSIS_APPS,
    # For their views, forms and templates. Their tables exist here but stay empty:
    # products, orders and payments live in the services that own them.
    "monolith.accounts",
    "monolith.catalog",
    "monolith.cart",
    "monolith.orders",
    "monolith.payments",
    "echoapp",  # the echo lab: its submissions are the storefront's own data
    "extracted_services.storefront",
]
MIDDLEWARE = [
    *MIDDLEWARE,
    # Last, so it sees the views' exceptions first: a 503 page, or a fresh sign-in.
    "extracted_services.storefront.middleware.ShopErrorMiddleware",
]
DATABASES = {"default": database_for("storefront")}
CACHES = {
    "default": {
        **CACHES["default"],
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="storefront"),
    },
    # The catalog's display data (shop/display_cache.py), in each process's memory:
    # a hit costs no round trip, where the Redis above would cost one. Room for the
    # whole demo catalogue's products and pages; the oldest third goes past that.
    "display": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "storefront-display",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}

# Templates: https://docs.djangoproject.com/en/5.2/ref/settings/#templates
# The monolith's project templates (base.html, 404.html...) and its cart badge.
_OPTIONS = cast(dict[str, Any], TEMPLATES[0]["OPTIONS"])  # the chassis's dict
TEMPLATES = [
    {
        **TEMPLATES[0],
        "DIRS": [REPO_DIR / "monolith" / "templates"],
        "OPTIONS": {
            **_OPTIONS,
            "context_processors": [
                *_OPTIONS["context_processors"],
                "monolith.cart.context_processors.cart_summary",
            ],
        },
    }
]
STATICFILES_DIRS = [REPO_DIR / "monolith" / "static"]

# ------------------------------------------------------------------------------------
# The shop: where the pages' data comes from (monolith/shop.py says what they ask).
# ------------------------------------------------------------------------------------
# The services' APIs: catalog, orders, and the gateway for accounts (shop.UPSTREAMS).
SHOP_BACKEND = "extracted_services.storefront.shop.RemoteShop"
# The gateway, for accounts, at its accounts door: the same project on a port of its
# own (compose/Procfile: gateway-accounts). A sign-in page holds a thread of the
# public gateway while it waits; were its token call served by those same threads, a
# burst of sign-ins would take them all and wait for itself until the calls timed out.
SERVICE_URLS = {
    **SERVICE_URLS,
    "gateway": env("ACCOUNTS_URL", default="http://127.0.0.1:8107"),
}
# The chassis's clients wait this long for an answer here: longer than its default,
# as placing an order calls catalog from orders in turn.
HTTP_TIMEOUT = env.float("STOREFRONT_HTTP_TIMEOUT", default=5.0)
# Signing in or up waits longer: the gateway hashes the password (slow on purpose) and
# lets a sign-in wait up to its PASSWORD_CHECK_WAIT (6 s) for a turn; under the
# gateway's PROXY_TIMEOUT (10 s), which the whole sign-in page must fit in.
STOREFRONT_SIGN_IN_TIMEOUT = env.float("STOREFRONT_SIGN_IN_TIMEOUT", default=8.0)
# Benchmark switches (bench/): the cart's products in one ?ids= call, or one call
# each; the calls a page needs (categories and products) at once, or in turn.
STOREFRONT_CART_BATCH = env.bool("STOREFRONT_CART_BATCH", default=True)
STOREFRONT_PARALLEL_CALLS = env.bool("STOREFRONT_PARALLEL_CALLS", default=True)
# What the storefront may cache (shop/display_cache.py): the catalog's categories,
# browsing pages and the cart's products, kept this many seconds; 0 turns it off. A
# price change shows on the home and cart pages within that time; orders are still
# placed at the catalog's current price.
STOREFRONT_CACHE_SECONDS = env.int("STOREFRONT_CACHE_SECONDS", default=10)
# "Customers also bought" is optional: past this many seconds the page goes without.
STOREFRONT_RECOMMENDATIONS_TIMEOUT = env.float(
    "STOREFRONT_RECOMMENDATIONS_TIMEOUT", default=0.3
)

# ------------------------------------------------------------------------------------
# Auth: https://docs.djangoproject.com/en/5.2/ref/settings/#auth
# The gateway checks passwords; here users sign in as shadow users (ModelBackend).
# ------------------------------------------------------------------------------------
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "catalog:product-list"
LOGOUT_REDIRECT_URL = "catalog:product-list"
# The shop's cookies, named as the monolith's: the only ones the gateway passes on
# from a service (its PROXY_COOKIES), while every other service names its own.
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_NAME = "csrftoken"

# Behind the gateway: its host (X-Forwarded-Host) is the one browsers post forms to.
# https://docs.djangoproject.com/en/5.2/ref/settings/#csrf-trusted-origins
USE_X_FORWARDED_HOST = True
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

READINESS_CHECKS = {
    **READINESS_CHECKS,
    "gateway": "extracted_services.chassis.health.check_gateway",
}

# Django REST framework: https://www.django-rest-framework.org/api-guide/settings/
# The one API here, the echo lab's, is public and never asks who is calling.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_AUTHENTICATION_CLASSES": []}
SPECTACULAR_SETTINGS = {
    **SPECTACULAR_SETTINGS,
    "TITLE": "Storefront: the echo lab's API",
}
