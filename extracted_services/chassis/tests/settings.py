"""Settings for the chassis's own tests: a made-up service with test-only views.

``python dev.py test --service chassis``. The chassis has
no project of its own, so this one stands in for a service: the chassis's settings,
its test settings on top, and a small app with a concrete outbox.
"""

from extracted_services.chassis.keys import ensure_keys
from extracted_services.chassis.settings import *  # noqa: F403
from extracted_services.chassis.settings import CACHES, CHASSIS_APPS, database_for
from extracted_services.chassis.testing import *  # noqa: F403
from extracted_services.chassis.testing import (
    KEYS_DIR,
    cache_key_prefix,
    sqlite_test_database,
)

SERVICE_NAME = "chassis-test"
SERVED_BY = "chassis-test"
ROOT_URLCONF = "extracted_services.chassis.tests.urls"
INSTALLED_APPS = [*CHASSIS_APPS, "extracted_services.chassis.tests.outboxapp"]
DATABASES = {"default": database_for("chassis-test")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = sqlite_test_database("chassis")
# The Redis is shared with other test runs: keys of our own, never a FLUSHDB.
CACHES["default"]["KEY_PREFIX"] = cache_key_prefix("chassis")
OUTBOX_MODEL = "outboxapp.OutboxMessage"
# A key of its own, as every service has, to sign the calls its clients make.
ensure_keys(KEYS_DIR, services=[SERVICE_NAME])
