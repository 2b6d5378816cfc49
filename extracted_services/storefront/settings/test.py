"""Test settings: ``pytest extracted_services/storefront/tests --ds <this module>``.

The chassis's test settings come after this service's own, so that they win. The
stack harness runs this module too, and sets CACHE_KEY_PREFIX and DATABASE_URL.
"""

from .base import *
from .base import CACHES, DATABASES, env

# isort: split
from extracted_services.chassis.testing import *
from extracted_services.chassis.testing import cache_key_prefix, sqlite_test_database

CACHES["default"]["KEY_PREFIX"] = cache_key_prefix("storefront")
# Off: a test (or a stack the harness started) that changes the catalog sees the
# change on its next page. The display cache's own tests turn it on.
STOREFRONT_CACHE_SECONDS = env.int("STOREFRONT_CACHE_SECONDS", default=0)

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = sqlite_test_database("storefront")
