"""Fixtures for the benchmark's tests: a results document made up, nothing run."""

import pytest

from tests.bench.sample import sample_document as build_sample


@pytest.fixture
def sample_document() -> dict:
    """A full run's document: 3 rounds, every scenario, one services stack down."""
    return build_sample()
