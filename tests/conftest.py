"""Shared fixtures for the suites that run under the monolith's test settings.

Each service's own tests live beside it, in ``extracted_services/<name>/tests/``, and
run under that service's settings (``python dev.py test --service orders``), so that a
service, tests included, could leave the repository on its own.
"""

pytest_plugins = ["tests.harness.fixtures"]


def pytest_collection_modifyitems(items):
    """The benchmark's tests last. Their quick runs load both cores on purpose, and
    `make test` runs the small chaos run beside this suite (dev.py's second lane):
    measured at the same time, its answers-come-fast invariant would measure the
    benchmark's load. Last, they start after that lane's chaos run has usually
    finished. The order within each group is kept, so each module's fixtures still
    start once."""
    items.sort(key=lambda item: item.nodeid.startswith("tests/bench/"))
