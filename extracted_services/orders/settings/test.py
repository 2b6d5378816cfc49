"""Test settings: ``pytest extracted_services/orders/tests --ds <this module>``.

The chassis's test settings come after this service's own, so that they win.
"""

from .base import *

# isort: split
from extracted_services.chassis.testing import *
from extracted_services.chassis.testing import env, sqlite_test_database

from .base import CACHES, DATABASES

CACHES["default"]["KEY_PREFIX"] = env("CACHE_KEY_PREFIX", default="orders-test")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = sqlite_test_database("orders")
