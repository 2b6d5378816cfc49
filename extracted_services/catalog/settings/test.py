"""Test settings: ``pytest extracted_services/catalog/tests --ds <this module>``.

The chassis's test settings come after this service's own, so that they win. The
stack harness runs this module too, and sets CACHE_KEY_PREFIX and DATABASE_URL.
"""

from .base import *

# isort: split
from extracted_services.chassis.testing import *
from extracted_services.chassis.testing import cache_key_prefix, sqlite_test_database

from .base import CACHES, DATABASES

# Redis is shared with the other services' tests: keys of our own, never a flush.
CACHES["default"]["KEY_PREFIX"] = cache_key_prefix("catalog")
# A file, not memory: the concurrency tests' threads must share one database.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = sqlite_test_database("catalog")
