"""Fixtures for the monolith's in-process tests."""

import pytest
from rest_framework.test import APIClient

from tests.factories import ProductFactory, UserFactory


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def product(db):
    return ProductFactory()


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def auth_api_client(user):
    client = APIClient()
    client.force_authenticate(user=user)
    return client
