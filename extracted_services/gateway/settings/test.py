"""Test settings: ``pytest extracted_services/gateway/tests --ds <this module>``.

The chassis's test settings come after this service's own, so that they win.
"""

from .base import *

# isort: split
from extracted_services.chassis.testing import *
from extracted_services.chassis.testing import (
    JWT_TEST_KEYS,
    cache_key_prefix,
    env,
    sqlite_test_database,
)

from .base import CACHES, DATABASES, REST_FRAMEWORK
from .base import SIMPLE_JWT as GATEWAY_JWT

# The gateway's own token settings, with the test keys when this run made them.
SIMPLE_JWT = {**GATEWAY_JWT, **JWT_TEST_KEYS}

# Redis is shared with the other services' tests: keys of our own, never a flush.
CACHES["default"]["KEY_PREFIX"] = cache_key_prefix("gateway")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = sqlite_test_database("gateway")
# Every test signs up from one address: a limit of its own, unless the harness sets one.
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    "auth": env("AUTH_THROTTLE_RATE", default="10000/min")
}
