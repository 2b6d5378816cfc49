"""Shared fixtures for the suites that run under the monolith's test settings.

Each service's own tests live beside it, in ``extracted_services/<name>/tests/``, and
run under that service's settings (``python dev.py test --service orders``), so that a
service, tests included, could leave the repository on its own.
"""

pytest_plugins = ["tests.harness.fixtures"]
