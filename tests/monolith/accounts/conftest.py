"""Fixtures for the accounts tests."""

import copy
import uuid

import pytest


@pytest.fixture(autouse=True)
def fresh_throttle_counts(settings):
    """Give every test a cache key prefix of its own, so no test inherits counts.

    ``cache.clear()`` would FLUSHDB the whole Redis database, which the Celery broker
    and any running server share. A fresh prefix isolates the test and touches
    nothing else; DRF's throttle keys expire at the end of their window.
    """
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"monolith-test-{uuid.uuid4().hex}"
    settings.CACHES = caches
