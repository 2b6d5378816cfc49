"""Test settings: ``pytest extracted_services/storefront/tests --ds <this module>``.

The chassis's test settings come after this service's own, so that they win. The
stack harness runs this module too, and sets CACHE_KEY_PREFIX and DATABASE_URL.
"""

from .base import *
from .base import DATABASES

# isort: split
from extracted_services.chassis.testing import *
from extracted_services.chassis.testing import sqlite_test_database

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = sqlite_test_database("storefront")
