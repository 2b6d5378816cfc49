"""The storefront's shop: the monolith's pages, answered by the services' APIs.

``SHOP_BACKEND = "extracted_services.storefront.shop.RemoteShop"`` (the storefront's
settings) makes the monolith's views, forms and templates read and write through
HTTP instead of a database: the strangler fig's other half. The monolith's
``monolith/shop.py`` says what the pages may ask (``Shop``); each part of the shop is
answered by its own module here, one per service behind it:

- ``catalog.py``: categories and products, from the catalog service;
- ``orders.py``: placing and reading orders, as the user, at the orders service;
- ``accounts.py``: signing up and in, and the user's tokens, at the gateway;
- ``recommendations.py``: "customers also bought", optional: a page without it is
  still the page;
- ``base.py``: the plumbing they share (clients, breakers, reads at once, pages);
- ``display_cache.py``: the catalog's display data, kept a few seconds.

A new part (say, recommendations) is a module with one more ``*Calls`` class, and
one more base of ``RemoteShop``.
"""

from collections.abc import Callable

from django.http import HttpRequest

from monolith.shop import Shop

from .accounts import TOKENS_SESSION_KEY, AccountCalls
from .base import UPSTREAMS
from .catalog import CatalogCalls, RemoteCategory, RemoteProduct
from .orders import OrderCalls, RemoteOrder
from .recommendations import RecommendationCalls

__all__ = [
    "TOKENS_SESSION_KEY",
    "UPSTREAMS",
    "RemoteCategory",
    "RemoteOrder",
    "RemoteProduct",
    "RemoteShop",
]


class RemoteShop(CatalogCalls, OrderCalls, AccountCalls, RecommendationCalls):
    """The services' APIs, called as the signed-in user, with the tokens in the
    session: the monolith's ``LocalShop``, over the network."""


# Checked by mypy: RemoteShop answers everything the pages may ask, in their types.
_ANSWERS_THE_PAGES: Callable[[HttpRequest], Shop] = RemoteShop
