"""How the storefront's shop calls the services: which service answers which part
of the shop, one breaker each, reads at once, and pages an API has already cut.

The calls go through the chassis's clients (``chassis.http.client_for``: a timeout,
retries and a circuit breaker per service), with the storefront's longer
``HTTP_TIMEOUT``. Whatever fails reaches the pages as their own ``Unavailable``.
"""

import contextvars
import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus
from typing import Any

import httpx
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest

from extracted_services.chassis.http import client_for
from extracted_services.chassis.problems import ServiceUnavailable
from monolith.shop import Refused, Unavailable

# The parts of the shop. One client, so one circuit breaker, per part: a catalog
# that is down does not stop anyone from signing in or reading their orders.
CATALOG, ORDERS, ACCOUNTS = "catalog", "orders", "accounts"
# Who answers each part. The storefront is inside the stack, beside the services, so
# it calls them directly (they check the user's token themselves) and the gateway
# only for accounts, which live there. Calling back out through the gateway would
# make every page hold a gateway thread while it waits for another one: with enough
# pages at once, they all wait on each other until they time out (docs/benchmark.md).
UPSTREAMS = {CATALOG: "catalog", ORDERS: "orders", ACCOUNTS: "gateway"}
# For the reads a page makes at once; its threads start on first use.
_pool = ThreadPoolExecutor(max_workers=16, thread_name_prefix="shop")


def call(part: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
    """The answer of the service behind ``part`` (any status below 500).

    Anything worse, after the client's retries, is the pages' ``Unavailable``,
    named after the part of the shop that did not answer.
    """
    try:
        return client_for(UPSTREAMS[part]).request(method, path, **kwargs)
    except ServiceUnavailable as exc:
        raise Unavailable(part) from exc


class ShopBase:
    """What every part of ``RemoteShop`` shares: the request, and reads at once."""

    def __init__(self, request: HttpRequest):
        self.request = request

    def _together(self, *calls: Callable[[], Any]) -> list[Any]:
        """Independent reads at once (threads), or one after another: a switch.

        Only calls that touch no database go here: the threads have no connection.
        """
        if len(calls) < 2 or not settings.STOREFRONT_PARALLEL_CALLS:
            return [call() for call in calls]
        # Each call runs in a copy of this context, so the request id goes along.
        futures = [_pool.submit(contextvars.copy_context().run, c) for c in calls]
        return [future.result() for future in futures]


def json_of(response: httpx.Response) -> Any:
    """The body of a successful answer; any other is a bug here, so a 500."""
    response.raise_for_status()
    return response.json()


def refusal(response: httpx.Response) -> Refused:
    """A problem+json answer as the pages' ``Refused``: its field errors, or detail."""
    problem = response.json()
    errors = problem.get("errors") or {None: [problem.get("detail", "")]}
    # "non_field_errors" and nested names (items.0.quantity) belong to no field here.
    return Refused({name: list(messages) for name, messages in errors.items()})


class RemotePaginator(Paginator):
    """A Paginator for one page an API has already cut: it needs only the count."""

    def __init__(self, count: int, per_page: int):
        super().__init__([], per_page)
        self._count = count

    @property
    def count(self) -> int:
        return self._count


def page_of(
    fetch: Callable[[int], httpx.Response], number: Any, per_page: int
) -> Page[Any]:
    """Paginator.get_page for a list API: any page past the last is the last one.

    Its objects are the API's JSON; ``with_objects`` makes them the pages' objects.
    """
    wanted = page_number(number)
    response = fetch(wanted)
    if response.status_code == HTTPStatus.NOT_FOUND and wanted > 1:
        count = json_of(fetch(1))["count"]  # DRF's 404 past the end says no more
        wanted = max(math.ceil(count / per_page), 1)
        response = fetch(wanted)
    body = json_of(response)
    return Page(body["results"], wanted, RemotePaginator(body["count"], per_page))


def page_number(number: Any) -> int:
    """The page a ``?page=`` asks for, as Paginator.get_page reads it: 1 if unclear."""
    try:
        return max(int(number), 1)
    except (TypeError, ValueError):
        return 1


def with_objects(page: Page[Any], make: Callable[[Any], Any]) -> Page[Any]:
    """The same page, each of its JSON objects made into what the templates read."""
    page.object_list = [make(body) for body in page.object_list]
    return page
