"""A customer's way through the shop in a real browser: browse, search, buy."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.contract.helpers import (
    APPROVED_CARD,
    DECLINED_CARD,
    PASSWORD,
    SHIPPING,
    unique,
)

pytestmark = pytest.mark.browser

PAYMENT_DEADLINE_MS = 10_000
PAGES = [
    "/",
    "/cart/",
    "/accounts/login/",
    "/accounts/register/",
    "/echo/",
    "/echo/submissions/",
]


def register(page: Page) -> str:
    """Sign up through the register page; the new customer is signed in."""
    username = unique("browser")
    page.goto("/accounts/register/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("button", name=re.compile("Log out"))).to_be_visible()
    return username


def add_to_cart(page: Page, product: dict, quantity: int) -> None:
    page.goto(f"/products/{product['id']}/")
    page.get_by_label("Quantity").fill(str(quantity))
    page.get_by_role("button", name="Add to cart").click()
    expect(page).to_have_url(re.compile(r"/cart/$"))


def check_out(page: Page, card: str) -> None:
    page.get_by_role("link", name="Checkout").click()
    page.get_by_label("Full name").fill(SHIPPING["name"])
    page.get_by_label("Address").fill(SHIPPING["address"])
    page.get_by_label("Card number").fill(card)
    page.get_by_role("button", name=re.compile("^Pay")).click()
    expect(page).to_have_url(re.compile(r"/orders/\d+/$"))


@pytest.mark.parametrize("path", PAGES)
def test_every_page_shows_who_served_it_and_the_request_id(page, path):
    """Each page's footer names the serving side and the request id, error-free."""
    # networkidle: the favicon and every other request the page makes have answered.
    response = page.goto(path, wait_until="networkidle")

    expect(page.get_by_test_id("served-by")).not_to_be_empty()
    expect(page.get_by_test_id("request-id")).to_have_text(
        response.headers["x-request-id"]
    )


def test_the_home_page_lists_products(page):
    """The home page shows products, each linking to its page."""
    page.goto("/")

    links = page.locator("a[href^='/products/']")
    expect(links.first).to_be_visible()
    links.first.click()
    expect(page).to_have_url(re.compile(r"/products/\d+/$"))
    expect(page.get_by_role("button", name="Add to cart")).to_be_visible()


def test_searching_finds_a_product(page, product):
    """Typing a product's name in the search box narrows the list to it."""
    page.goto("/")

    page.get_by_role("searchbox").fill(product["name"])
    page.get_by_role("button", name="Search").click()

    expect(page.get_by_role("link", name=product["name"])).to_be_visible()
    expect(page.locator("a[href^='/products/']")).to_have_count(1)


def test_filtering_by_category_shows_only_that_category(page, api):
    """Choosing a category lists that category's products only."""
    category = api.get("/api/categories/").json()[1]
    page.goto("/")

    page.get_by_label("Category").select_option(category["slug"])
    page.get_by_role("button", name="Search").click()

    expect(page).to_have_url(re.compile(f"category={category['slug']}"))
    cards = page.locator(".product-grid li")
    expect(cards.first).to_be_visible()
    for text in cards.all_inner_texts():
        assert category["name"] in text


def test_a_new_customer_buys_with_an_approved_card(page, product):
    """Register, add to cart, check out with 4242…: the order page says paid."""
    add_to_cart(page, product, 2)
    expect(page.get_by_role("link", name=product["name"])).to_be_visible()
    register(page)
    page.goto("/cart/")

    check_out(page, APPROVED_CARD)

    expect(page.get_by_test_id("order-status")).to_have_text(
        "paid", timeout=PAYMENT_DEADLINE_MS
    )
    expect(page.get_by_test_id("payment")).to_contain_text("4242")


def test_a_declined_card_shows_the_failure(page, product):
    """Checking out with 4000 0000 0000 0002 ends in a failed order, and says why."""
    register(page)
    add_to_cart(page, product, 1)

    check_out(page, DECLINED_CARD)

    expect(page.get_by_test_id("order-status")).to_have_text(
        "failed", timeout=PAYMENT_DEADLINE_MS
    )
    expect(page.get_by_test_id("failure-reason")).to_contain_text(
        re.compile("declined", re.IGNORECASE)
    )


def test_checkout_shows_errors_next_to_the_fields(page, product):
    """A card number failing the Luhn check is refused beside the card field."""
    register(page)
    add_to_cart(page, product, 1)
    page.get_by_role("link", name="Checkout").click()
    page.get_by_label("Full name").fill(SHIPPING["name"])
    page.get_by_label("Address").fill(SHIPPING["address"])
    page.get_by_label("Card number").fill("4242 4242 4242 4241")

    page.get_by_role("button", name=re.compile("^Pay")).click()

    expect(page).to_have_url(re.compile(r"/checkout/$"))
    expect(page.locator(".has-error")).to_contain_text("card number")


def test_checkout_asks_a_visitor_to_log_in(page, product):
    """An anonymous visitor who checks out is sent to the login page first."""
    add_to_cart(page, product, 1)

    page.get_by_role("link", name="Checkout").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/checkout/"))
