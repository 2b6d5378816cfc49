"""The recommendations' part of ``RemoteShop``: "customers also bought", optional.

The one call a page may lose without anyone noticing: a short timeout
(``STOREFRONT_RECOMMENDATIONS_TIMEOUT``, 300 ms), no retries, a breaker of its own.
When recommendations is down, slow or answers an error, the product page renders
at once without the block, and nothing else changes: fault isolation.
"""

import logging
import threading
from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Protocol

from django.conf import settings

from extracted_services.chassis.http import ServiceClient
from extracted_services.chassis.problems import ServiceUnavailable
from monolith.shop import ShopProduct

from .base import ShopBase

SERVICE = "recommendations"
PATH = "/api/recommendations/"
logger = logging.getLogger(__name__)
_client: ServiceClient | None = None
_client_lock = threading.Lock()


def client() -> ServiceClient:
    """The process's one client for recommendations: short timeout, no retries."""
    global _client
    with _client_lock:
        if _client is None:
            _client = ServiceClient(
                SERVICE,
                settings.SERVICE_URLS[SERVICE],
                timeout=settings.STOREFRONT_RECOMMENDATIONS_TIMEOUT,
                retries=0,  # a retry would only make the page later
                fail_max=3,
                reset_timeout=10,  # then one trial call, to see if it is back
            )
        return _client


class _WithProducts(Protocol):
    """What this part needs from the rest of the shop (``CatalogCalls``)."""

    def products(self, *, ids: Iterable[int]) -> Mapping[int, ShopProduct]: ...


class RecommendationCalls(ShopBase):
    def recommendations(
        self: _WithProducts, *, product_id: int, limit: int
    ) -> list[ShopProduct]:
        """Recommended products, best first; ``[]`` whatever goes wrong."""
        params = {"product_id": product_id, "limit": limit}
        try:
            response = client().get(PATH, params=params)
            if response.status_code != HTTPStatus.OK:
                raise ValueError(f"{response.status_code} from {SERVICE}")
            wanted = [result["product_id"] for result in response.json()["results"]]
        except (ServiceUnavailable, ValueError, KeyError, TypeError) as exc:
            logger.warning(
                "product %s shown without recommendations: %r", product_id, exc
            )
            return []
        found = self.products(ids=wanted)  # one batch call to catalog
        return [found[pk] for pk in wanted if pk in found]
