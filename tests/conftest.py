"""Shared fixtures, and which folders run under which Django settings.

``tests/services/<name>/`` runs under that service's own settings
(``pytest tests/services/catalog --ds extracted_services.catalog.settings.test``;
the chassis, which has none, brings ``tests.services.chassis.settings``;
``make test`` runs each in turn). Every other folder runs under the monolith's test
settings, the default in pyproject.toml.
"""

import os

pytest_plugins = ["tests.harness.fixtures"]

SERVICES_DIR = os.path.join(os.path.dirname(__file__), "services")


def _settings_module(config) -> str:
    return config.getoption("ds", default=None) or os.environ.get(
        "DJANGO_SETTINGS_MODULE", ""
    )


def pytest_ignore_collect(collection_path, config):
    """Collect only the tests that belong to the settings this run uses."""
    settings = _settings_module(config)
    # extracted_services.<name>.settings.test, or tests.services.<name>.settings for
    # a part with no settings of its own (the chassis).
    if settings.startswith(("extracted_services.", "tests.services.")):
        service = settings.removeprefix("tests.").split(".")[1]
        mine = os.path.join(SERVICES_DIR, service)
        path = str(collection_path)
        # Keep the folders on the way down to this service's tests, and those tests.
        return not (path.startswith(mine) or mine.startswith(path))
    if str(collection_path).startswith(SERVICES_DIR + os.sep):
        return True
    return None
