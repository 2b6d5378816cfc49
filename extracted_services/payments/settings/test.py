"""Test settings: ``pytest extracted_services/payments/tests --ds <this module>``.

The chassis's test settings come after this service's own, so that they win.
"""

from .base import *

# isort: split
from extracted_services.chassis.card_sealing import MIN_KEY_BITS, key_pair_generate
from extracted_services.chassis.testing import *
from extracted_services.chassis.testing import cache_key_prefix, sqlite_test_database

from .base import CACHES, DATABASES, PAYMENTS_CARD_PRIVATE_KEY

# Redis is shared with the other services' tests: keys of our own, never a flush.
CACHES["default"]["KEY_PREFIX"] = cache_key_prefix("payments")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = sqlite_test_database("payments")
# A throwaway key pair of this run's own, unless one is given (the test harness
# gives each stack one): payments' private key is all payments holds.
if not PAYMENTS_CARD_PRIVATE_KEY:
    PAYMENTS_CARD_PRIVATE_KEY = key_pair_generate(bits=MIN_KEY_BITS).private_pem
