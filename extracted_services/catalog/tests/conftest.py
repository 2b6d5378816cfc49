"""Fixtures for the catalog service: products, users with gateway tokens, the orders
service with its token, and a cache that starts empty for every test.

Run: ``python dev.py test --service catalog``.
"""

import pytest
from django.conf import settings
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from extracted_services.catalog.selectors import catalog_changed
from extracted_services.chassis import testing_tokens

from .factories import ProductFactory, ReservationLineFactory


def bearer(*, user_id: int, username: str, is_staff: bool) -> str:
    """An access token as the gateway makes one: the claims are all we know of users."""
    token = AccessToken()  # signed with the settings' JWT key, audience and issuer
    token["user_id"] = user_id
    token["username"] = username
    token["is_staff"] = is_staff
    return f"Bearer {token}"


def service_token_from(caller: str = "orders") -> str:
    """What a service sends catalog as X-Service-Token: signed with its own key."""
    stack = testing_tokens.StackKeys(settings.KEYS_DIR)  # this run's keys, all of them
    return testing_tokens.service_token(stack, caller=caller, audience="catalog")


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test reads its own cache: a new version, so nothing cached before counts.

    Redis is shared with other suites, so the cache is never cleared.
    """
    catalog_changed()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def staff_api_client() -> APIClient:
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=bearer(user_id=1, username="admin", is_staff=True)
    )
    return client


@pytest.fixture
def auth_api_client() -> APIClient:
    """A signed-in customer: may read, may not write."""
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=bearer(user_id=41, username="ada", is_staff=False)
    )
    return client


@pytest.fixture
def internal_client() -> APIClient:
    """The orders service, as catalog sees it: requests with a service token."""
    client = APIClient()
    client.credentials(HTTP_X_SERVICE_TOKEN=service_token_from("orders"))
    return client


@pytest.fixture
def product(db):
    """10 in stock at 19.99."""
    return ProductFactory()


@pytest.fixture
def ordered_product(product):
    """A product that an order has reserved, so it cannot be deleted."""
    ReservationLineFactory(product_id=product.pk, name=product.name)
    return product
