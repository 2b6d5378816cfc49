"""Degraded, not down: with one part of a stack stopped, the rest answers as it can.

Each test stops a real process of the stack (terminated, not paused: SIGSTOP would
leave its port accepting connections nobody answers), checks what still works and
what fails fast, and starts it again in a ``finally``, waiting until it is back:
every test after it shares the same session stack.
"""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http import HTTPStatus

import httpx
import pytest

from tests.harness.processes import Process, wait_until
from tests.harness.stack import Stack

from .helpers import User, assert_problem, create_product, place_order, poll

# The contract's bound: while a dependency is down, a request that needs it gets its
# 503 within this many seconds, never a hang (the orders service's catalog client:
# connection refused at once, two retries of 50 and 100 ms, then the breaker).
FAIL_FAST_SECONDS = 3.0
BACK_DEADLINE = 60  # seconds for a restarted process to be ready again (a busy machine)
# A stopped worker's heartbeat expires (heartbeats.TTL) and the kept answer ages out.
WORKER_GONE_DEADLINE = 20
# Catalog back: orders' circuit breaker lets a call through after its reset timeout.
ORDERS_AGAIN_DEADLINE = 30
# Each web process keeps its readiness answer a moment (heartbeats.CACHE_FOR, 1.5 s):
# back means ready on every probe for longer than that, whichever process answers.
STEADY_SECONDS = 2.5
NOT_HERE = "this stack has no {name!r} process of this run's own"


def _process(stack: Stack, name: str) -> Process:
    """The stack's process called ``name``; skip where the stack has none."""
    for process in stack.processes:
        if process.name == name:
            return process
    pytest.skip(NOT_HERE.format(name=name))


def _status(url: str) -> int:
    """The status ``url`` answers, or 0 when nothing answers there."""
    try:
        return httpx.get(url, timeout=5).status_code
    except httpx.TransportError:
        return 0


@contextmanager
def stopped(process: Process, *, back: Callable[[], bool]) -> Iterator[None]:
    """``process`` terminated for the block; then started again until ``back()``."""
    process.stop()
    try:
        yield
    finally:
        process.restart()
        wait_until(
            back,
            timeout=BACK_DEADLINE,
            what=f"{process.name} after its restart",
            watch=[process],
        )


def _steadily(condition: Callable[[], bool]) -> Callable[[], bool]:
    """A condition that holds once ``condition`` has held for STEADY_SECONDS."""
    since: list[float] = []

    def steady() -> bool:
        if not condition():
            since.clear()
            return False
        since[:] = since or [time.monotonic()]
        return time.monotonic() - since[0] >= STEADY_SECONDS

    return steady


def _ready(*urls: str) -> Callable[[], bool]:
    """Every one of ``urls`` answers 200, steadily."""
    return _steadily(lambda: all(_status(url) == HTTPStatus.OK for url in urls))


def _place(api: httpx.Client, user: User, product_id: int) -> httpx.Response:
    return place_order(api, user, [(product_id, 1)])


def test_without_catalog_orders_read_and_placing_fails_fast(stack, api, user, staff):
    """Catalog stopped: orders still read; a new order is a quick 503 to retry later;
    /readyz says unready while /healthz says alive; once catalog is back, orders work.
    """
    catalog = _process(stack, "catalog")
    urls = stack.web_urls
    product = create_product(api, staff, stock=20)
    placed = _place(api, user, product["id"])
    assert placed.status_code == HTTPStatus.CREATED, placed.text
    order_id = placed.json()["id"]

    # Back: catalog ready, and read through the gateway (its breaker closed again).
    back = _ready(f"{urls['catalog']}/readyz", f"{stack.base_url}/api/products/")
    with stopped(catalog, back=back):
        listed = api.get("/api/orders/", headers=user.headers)
        one = api.get(f"/api/orders/{order_id}/", headers=user.headers)
        started = time.monotonic()
        refused = _place(api, user, product["id"])
        elapsed = time.monotonic() - started
        gateway_ready = api.get("/readyz")
        orders_ready = httpx.get(f"{urls['orders']}/readyz", timeout=5)
        gateway_alive = api.get("/healthz")
        orders_alive = httpx.get(f"{urls['orders']}/healthz", timeout=5)

    assert listed.status_code == HTTPStatus.OK
    assert order_id in [order["id"] for order in listed.json()["results"]]
    assert one.status_code == HTTPStatus.OK
    assert_problem(refused, HTTPStatus.SERVICE_UNAVAILABLE)
    assert int(refused.headers["Retry-After"]) > 0
    assert elapsed < FAIL_FAST_SECONDS, f"the 503 took {elapsed:.2f} s"
    for ready in (gateway_ready, orders_ready):
        assert ready.status_code == HTTPStatus.SERVICE_UNAVAILABLE
        assert ready.json()["checks"]["catalog"].startswith("error")
    assert gateway_alive.status_code == HTTPStatus.OK
    assert orders_alive.status_code == HTTPStatus.OK
    again = poll(
        lambda: _place(api, user, product["id"]),
        lambda response: response.status_code != HTTPStatus.SERVICE_UNAVAILABLE,
        timeout=ORDERS_AGAIN_DEADLINE,
    )
    assert again.status_code == HTTPStatus.CREATED, again.text


def test_without_the_payments_worker_orders_is_unready_naming_it(stack, api):
    """Payments' worker stopped: orders' /readyz is 503 with the failing check named
    after the worker; the gateway stays alive; the worker back, orders is ready."""
    worker = _process(stack, "payments-worker")
    orders_url = stack.web_urls["orders"]

    with stopped(worker, back=_ready(f"{orders_url}/readyz")):
        unready = poll(
            lambda: httpx.get(f"{orders_url}/readyz", timeout=5),
            lambda response: response.status_code != HTTPStatus.OK,
            timeout=WORKER_GONE_DEADLINE,
        )
        alive = api.get("/healthz")

    assert unready.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    checks = unready.json()["checks"]
    assert checks["payments-worker"].startswith("error")
    assert checks["orders-worker"] == "ok"
    assert alive.status_code == HTTPStatus.OK


def test_without_its_worker_the_monolith_is_unready_and_still_serves(stack, api):
    """The monolith's worker stopped: /readyz is 503 naming it; pages still serve."""
    worker = _process(stack, "celery")

    with stopped(worker, back=_ready(f"{stack.base_url}/readyz")):
        unready = poll(
            lambda: api.get("/readyz"),
            lambda response: response.status_code != HTTPStatus.OK,
            timeout=WORKER_GONE_DEADLINE,
        )
        page = api.get("/")
        products = api.get("/api/products/")
        alive = api.get("/healthz")

    assert unready.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert unready.json()["checks"]["worker"].startswith("error")
    assert unready.json()["checks"]["broker"] == "ok"
    assert page.status_code == HTTPStatus.OK
    assert products.status_code == HTTPStatus.OK
    assert alive.status_code == HTTPStatus.OK
