"""The catalog service's settings; the chassis brings what all services share.

READINESS_CHECKS stays the chassis's default (database and Redis): catalog calls no
other service, so nothing else decides whether it can serve.
"""

from extracted_services.chassis.settings import *
from extracted_services.chassis.settings import CACHES, CHASSIS_APPS, database_for, env

SERVICE_NAME = "catalog"
# Named in the X-Served-By header and in page footers.
SERVED_BY = env("SERVED_BY", default="catalog")
# Cookies of its own (its admin's): one service's cookie never replaces another's.
SESSION_COOKIE_NAME = "catalog_sessionid"
CSRF_COOKIE_NAME = "catalog_csrftoken"
ROOT_URLCONF = "extracted_services.catalog.urls"
WSGI_APPLICATION = "extracted_services.catalog.wsgi.application"
INSTALLED_APPS = [*CHASSIS_APPS, "extracted_services.catalog"]
DATABASES = {"default": database_for("catalog")}
CACHES["default"]["KEY_PREFIX"] = env("CACHE_KEY_PREFIX", default="catalog")
SPECTACULAR_SETTINGS = {
    **SPECTACULAR_SETTINGS,
    "TITLE": "Catalog service",
    "DESCRIPTION": "Categories and products: public reads, staff writes "
    "(behind the gateway).",
}

# ------------------------------------------------------------------------------------
# Product reads are cached in Redis and dropped on every write (selectors.py).
# CATALOG_CACHE=false turns the cache off, so the benchmark can measure both.
# https://docs.djangoproject.com/en/5.2/topics/cache/#the-low-level-cache-api
# ------------------------------------------------------------------------------------
CATALOG_CACHE = env.bool("CATALOG_CACHE", default=True)
CATALOG_CACHE_SECONDS = env.int("CATALOG_CACHE_SECONDS", default=60)
