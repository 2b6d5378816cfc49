"""What the storefront may cache: the catalog's display data, for a few seconds.

The home page and the cart page show what every visitor sees alike: the categories,
the first pages of products, a product's name, price and stock. Asking the catalog
for them on every page costs a round trip each (two hops' worth of Django, JSON and
loopback), where the monolith reads its own database. So the storefront keeps the
catalog's answers (its JSON, as it came) for ``STOREFRONT_CACHE_SECONDS`` (10 s;
0 turns the cache off) in each process's memory: Django's ``LocMemCache``, the
``"display"`` cache of the settings. No network, no shared state to invalidate, and
nothing to clean up: an entry simply runs out.

The trade, in the customer's words: a price the catalog changes shows on the home
and cart pages within N seconds; the stock a page shows may be N seconds old (a
product sold out meanwhile still shows "Only 1 left"); and an order is still
placed at the catalog's current price and stock, as the orders service checks them
there, never here.

What is never kept here:

- anything of one user's: the cart's contents and the session stay in the session,
  the orders are read as the user every time; the keys below name no user, and the
  values are the catalog's public answers, the same for everyone;
- anything that decides money: the checkout page reads its products fresh (only
  the pages in ``catalog.DISPLAY_PAGES`` read products from here), and placing the
  order asks the orders service, which reads catalog's prices itself.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import caches

CACHE = "display"  # the alias in settings.CACHES: this process's memory
_MISSING = object()  # a cached answer may be anything, None and [] included


def remembered(key: str, read: Callable[[], Any]) -> Any:
    """``read()``'s answer, kept for ``STOREFRONT_CACHE_SECONDS`` under ``key``."""
    seconds = settings.STOREFRONT_CACHE_SECONDS
    if seconds <= 0:  # off: every page asks the catalog, as before the cache
        return read()
    cache = caches[CACHE]
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = read()
        cache.set(key, value, seconds)
    return value


def remembered_each(
    kind: str, ids: Iterable[int], read: Callable[[list[int]], dict[int, Any]]
) -> dict[int, Any]:
    """One entry per id, so that any cart made of known products is a hit.

    ``read(ids)`` is asked once, for the ids not kept yet, and answers
    ``{id: value}``; an id it leaves out (a product gone) is not kept, so a cart
    that holds one asks about it again on its next page.
    """
    wanted = list(ids)
    seconds = settings.STOREFRONT_CACHE_SECONDS
    if seconds <= 0:
        return read(wanted)
    cache = caches[CACHE]
    keys = {pk: f"{kind}:{pk}" for pk in wanted}
    kept = cache.get_many(keys.values())
    found = {pk: kept[key] for pk, key in keys.items() if key in kept}
    missing = [pk for pk in wanted if pk not in found]
    if missing:
        fresh = read(missing)
        cache.set_many({keys[pk]: value for pk, value in fresh.items()}, seconds)
        found.update(fresh)
    return found
