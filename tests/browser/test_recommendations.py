"""'Customers also bought' on the product page, and the page without it.

On the services stack, stopping the recommendations process leaves the product page
as it was, minus the block: fault isolation a student can see by stopping one
process. The monolith has no such process to stop; its model is in-process.
"""

import time

import pytest
from playwright.sync_api import expect

from tests.contract.helpers import (
    create_product,
    place_order,
    poll,
    register,
    settled_order,
)
from tests.harness.processes import wait_until
from tests.harness.servers import ReadyProbe

pytestmark = pytest.mark.browser

SERVICE = "recommendations"
LEARNING_DEADLINE = 30  # seconds: events consumed, a model trained, then loaded
RESTART_DEADLINE = 60
BREAKER_RESET = 15  # seconds: the storefront's breaker tries again after 10
AT_ONCE = 3.0  # seconds: a page that does not wait for a stopped service


@pytest.fixture
def bought_together(api, staff_tokens):
    """Products A and B, bought together in paid orders, and learned: (A, B)."""
    staff = staff_tokens.headers(api)
    a, b = (create_product(api, staff, stock=20) for _ in range(2))
    customer = register(api, prefix="browser")
    for _ in range(2):
        response = place_order(api, customer, [(a["id"], 1), (b["id"], 1)])
        assert settled_order(api, customer, response.json()["id"])["status"] == "paid"

    def recommended() -> list[int]:
        body = api.get("/api/recommendations/", params={"product_id": a["id"]}).json()
        return [result["product_id"] for result in body["results"]]

    poll(recommended, lambda ids: ids[:1] == [b["id"]], timeout=LEARNING_DEADLINE)
    return a, b


def test_the_product_page_shows_what_customers_also_bought(page, bought_together):
    """A's page lists B under "Customers also bought"; the link leads to B."""
    a, b = bought_together

    page.goto(f"/products/{a['id']}/")

    block = page.get_by_test_id("also-bought")
    expect(block.get_by_role("heading", name="Customers also bought")).to_be_visible()
    block.get_by_role("link", name=b["name"]).click()
    expect(page.get_by_role("heading", name=b["name"], level=1)).to_be_visible()


@pytest.fixture
def service(stack):
    """The recommendations process of a services stack this test run started."""
    process = next((p for p in stack.processes if p.name == SERVICE), None)
    if process is None:
        pytest.skip(f"{stack.name} has no {SERVICE} process of its own to stop")
    return process


def test_with_recommendations_stopped_the_page_renders_without_the_block(
    page, stack, service, bought_together
):
    """Stop the process: the same page at once, minus the block; start it: back."""
    a, _ = bought_together
    url = f"/products/{a['id']}/"
    page.goto(url)
    expect(page.get_by_test_id("also-bought")).to_be_visible()

    service.stop()
    try:
        started = time.monotonic()
        page.goto(url)
        elapsed = time.monotonic() - started

        expect(page.get_by_role("heading", name=a["name"], level=1)).to_be_visible()
        expect(page.get_by_role("button", name="Add to cart")).to_be_enabled()
        expect(page.get_by_test_id("also-bought")).to_have_count(0)
        assert elapsed < AT_ONCE
    finally:
        service.restart()
        probe = ReadyProbe(f"{stack.web_urls[SERVICE]}/readyz")
        wait_until(probe, timeout=RESTART_DEADLINE, what=SERVICE, watch=[service])

    # Back: once the storefront's breaker lets a trial call through.
    def block_shown() -> bool:
        page.goto(url)
        return page.get_by_test_id("also-bought").count() == 1

    assert poll(block_shown, bool, timeout=BREAKER_RESET, interval=1)
