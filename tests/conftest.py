"""Shared fixtures: the black-box suites' ``stack`` comes from the harness."""

pytest_plugins = ["tests.harness.fixtures"]
