"""The shop's server-rendered pages, fetched and submitted as plain HTTP."""

import html
import re
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus

import httpx
import pytest

from .helpers import PASSWORD, create_product, place_order, unique
from .pages import (
    assert_page,
    links,
    redirect_target,
    sign_in,
    submit,
    texts_by_testid,
)

PUBLIC_PAGES = [
    "/",
    "/cart/",
    "/accounts/login/",
    "/accounts/register/",
    "/echo/",
    "/echo/submissions/",
]


@pytest.fixture
def product(api, staff):
    """A product of the test's own: which one the catalogue lists first depends on
    what other tests (the fuzzer's, say) made before."""
    return create_product(api, staff, stock=20)


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_page_shows_who_served_it_and_the_request_id(api, path):
    """A page's footer names the serving side and carries the caller's request id."""
    request_id = unique("page")

    response = api.get(path, headers={"X-Request-ID": request_id})

    assert_page(response, request_id)


# More than any web process of either stack has threads (gunicorn: 2 x 4 or 1 x 8).
PAGES_AT_ONCE = 24


def test_more_pages_at_once_than_the_server_has_threads_all_answer(stack):
    """Pages are never starved: on the services stack a page must not hold a gateway
    thread while the storefront waits for another one, or they all wait together
    until their calls time out (then a retry hides it: so the logs are read too)."""
    logged_before = {p.name: len(p.log.read_bytes()) for p in stack.processes}

    def fetch(_) -> int:
        with httpx.Client(base_url=stack.base_url, timeout=30) as client:
            return client.get("/").status_code

    with ThreadPoolExecutor(max_workers=PAGES_AT_ONCE) as pool:
        statuses = list(pool.map(fetch, range(PAGES_AT_ONCE)))

    assert statuses == [HTTPStatus.OK] * PAGES_AT_ONCE
    timed_out = [
        p.name
        for p in stack.processes
        if b"timed out" in p.log.read_bytes()[logged_before[p.name] :]
    ]
    assert timed_out == []


def test_the_site_has_an_icon(api):
    """Browsers find an icon (/favicon.ico or a declared one), so none logs a 404."""
    declared = [
        link.get("href")
        for link in links(api.get("/").text)
        if "icon" in link.get("rel", "").split()
    ]

    icon = declared[0] if declared else "/favicon.ico"
    assert api.get(icon).status_code == HTTPStatus.OK


def test_a_product_page_offers_add_to_cart(api, product):
    """/products/<id>/ shows the product and a quantity form for the cart."""
    response = api.get(f"/products/{product['id']}/")

    assert_page(response)
    assert html.escape(product["name"]) in response.text
    assert 'name="quantity"' in response.text


def test_an_unknown_product_page_is_a_404(api):
    """A product id that does not exist is a 404 page, not a server error."""
    response = api.get("/products/987654321/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.headers["content-type"].startswith("text/html")


def test_the_home_page_searches_and_filters(api, staff):
    """/ narrows the list with ?q= (search) and ?category= (a category's slug)."""
    word = unique("findme")
    made = create_product(api, staff, stock=3, name=f"Lamp {word}")
    other = api.get("/api/categories/").json()[-1]["slug"]

    found = api.get("/", params={"q": word})
    in_category = api.get("/", params={"q": word, "category": made["category"]})
    elsewhere = api.get("/", params={"q": word, "category": other})

    assert_page(found)
    assert made["name"] in found.text
    assert made["name"] in in_category.text
    assert made["category"] != other
    assert made["name"] not in elsewhere.text


def test_the_home_page_is_paginated(api):
    """The product list links to its next page, which lists other products."""
    first, second = api.get("/"), api.get("/", params={"page": 2})

    assert "page=2" in first.text
    assert_page(second)
    first_links = set(re.findall(r'href="(/products/\d+/)"', first.text))
    second_links = set(re.findall(r'href="(/products/\d+/)"', second.text))
    assert first_links
    assert second_links
    assert first_links.isdisjoint(second_links)


def test_a_product_added_to_the_cart_is_listed_with_its_total(api, staff):
    """The add-to-cart form puts the product in the session's cart with a total."""
    made = create_product(api, staff, stock=5, price="4.25")
    page = api.get(f"/products/{made['id']}/")

    added = submit(api, page, having="quantity", data={"quantity": "2"})
    cart = api.get("/cart/")

    assert added.status_code == HTTPStatus.FOUND
    texts = assert_page(cart)
    assert made["name"] in cart.text
    assert texts["cart-total"] == "€8.50"


def test_the_cart_changes_quantities_and_removes_lines(api, staff):
    """A cart line's quantity can be changed, and the line removed."""
    made = create_product(api, staff, stock=9, price="2.00")
    submit(api, api.get(f"/products/{made['id']}/"), having="quantity", data={})

    changed = submit(api, api.get("/cart/"), having="quantity", data={"quantity": "3"})
    after_change = api.get("/cart/")
    removed = submit(api, after_change, action=f"/remove/{made['id']}/", data={})
    after_removal = api.get("/cart/")

    assert changed.status_code == removed.status_code == HTTPStatus.FOUND
    assert texts_by_testid(after_change.text)["cart-total"] == "€6.00"
    assert_page(after_removal)
    assert made["name"] not in after_removal.text


@pytest.mark.parametrize("path", ["/checkout/", "/orders/"])
def test_signed_in_pages_send_a_visitor_to_the_login_page(api, path):
    """/checkout/ and /orders/ redirect an anonymous visitor to the login page."""
    target, query = redirect_target(api.get(path))

    assert target == "/accounts/login/"
    assert query["next"] == [path]


def test_checkout_shows_its_form_to_a_signed_in_customer(api, user, staff):
    """Signed in with a filled cart, /checkout/ asks for shipping and a card."""
    made = create_product(api, staff, stock=5)
    sign_in(api, user.username, user.password)
    submit(api, api.get(f"/products/{made['id']}/"), having="quantity", data={})

    response = api.get("/checkout/")

    assert_page(response)
    assert 'name="card_number"' in response.text


def test_checking_out_places_the_order_and_shows_it(api, user, staff):
    """The checkout form places the order and leads to its page."""
    made = create_product(api, staff, stock=5)
    sign_in(api, user.username, user.password)
    submit(api, api.get(f"/products/{made['id']}/"), having="quantity", data={})
    data = {
        "shipping_name": "Ada Lovelace",
        "shipping_address": "12 St James's Square, London",
        "card_number": "4242 4242 4242 4242",
    }

    placed = submit(api, api.get("/checkout/"), having="card_number", data=data)

    target, _ = redirect_target(placed)
    assert re.fullmatch(r"/orders/\d+/", target)
    assert_page(api.get(target))
    orders = api.get("/api/orders/", headers=user.headers).json()["results"]
    assert [o["items"][0]["product_id"] for o in orders] == [made["id"]]


def test_a_bad_card_is_shown_beside_the_checkout_field(api, user, staff):
    """A card number failing the Luhn check re-renders checkout with its error."""
    made = create_product(api, staff, stock=5)
    sign_in(api, user.username, user.password)
    submit(api, api.get(f"/products/{made['id']}/"), having="quantity", data={})
    data = {"shipping_name": "Ada", "shipping_address": "Here", "card_number": "1234"}

    response = submit(api, api.get("/checkout/"), having="card_number", data=data)

    assert_page(response)
    assert "has-error" in response.text
    assert api.get("/api/orders/", headers=user.headers).json()["count"] == 0


def test_the_orders_pages_show_a_customer_their_orders(api, user, staff):
    """/orders/ lists the customer's orders and /orders/<id>/ shows its status."""
    made = create_product(api, staff, stock=5)
    order = place_order(api, user, [(made["id"], 1)]).json()
    sign_in(api, user.username, user.password)

    listing = api.get("/orders/")
    detail = api.get(f"/orders/{order['id']}/")

    assert_page(listing)
    assert f"/orders/{order['id']}/" in listing.text
    texts = assert_page(detail)
    assert texts["order-status"].lower() in {"pending", "paid", "failed"}


def test_another_customers_order_page_is_a_404(api, user, other_user, staff):
    """/orders/<id>/ of someone else's order is a 404."""
    made = create_product(api, staff, stock=5)
    order = place_order(api, user, [(made["id"], 1)]).json()
    sign_in(api, other_user.username, other_user.password)

    assert api.get(f"/orders/{order['id']}/").status_code == HTTPStatus.NOT_FOUND


def test_signing_up_on_the_register_page_signs_the_customer_in(api):
    """The register page creates the account and starts a session at once."""
    username = unique("page-signup")
    data = {
        "username": username,
        "email": f"{username}@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }

    response = submit(
        api, api.get("/accounts/register/"), having="password1", data=data
    )

    assert response.status_code == HTTPStatus.FOUND
    assert api.get("/orders/").status_code == HTTPStatus.OK


def test_a_wrong_password_on_the_login_page_shows_an_error(api, user):
    """The login page re-renders with an error instead of signing in."""
    page = api.get("/accounts/login/")

    response = submit(
        api, page, having="username", data={"username": user.username, "password": "x"}
    )

    assert_page(response)
    assert redirect_target(api.get("/orders/"))[0] == "/accounts/login/"


def test_logging_out_ends_the_session(api, user):
    """A POST to /accounts/logout/ signs the customer out."""
    sign_in(api, user.username, user.password)
    home = api.get("/")

    response = submit(api, home, action="/accounts/logout/", data={})

    assert response.status_code == HTTPStatus.FOUND
    assert redirect_target(api.get("/orders/"))[0] == "/accounts/login/"


def test_the_admin_login_page_shows_who_served_it_and_the_request_id(api):
    """Django's admin pages carry the same footer as the shop's."""
    request_id = unique("admin")

    response = api.get("/admin/login/", headers={"X-Request-ID": request_id})

    assert_page(response, request_id)


def test_the_admin_asks_staff_to_sign_in(api):
    """/admin/ sends an anonymous visitor to the admin's own login page."""
    target, _ = redirect_target(api.get("/admin/"))

    assert target == "/admin/login/"


def test_the_echo_form_echoes_input_escaped(api):
    """A valid POST to /echo/ shows the submitted values back, HTML-escaped."""
    name = unique("echo")
    data = {"name": name, "message": "<script>alert(1)</script>"}

    response = submit(api, api.get("/echo/"), having="message", data=data)

    assert_page(response)
    assert name in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "<script>alert(1)</script>" not in response.text
    stored = api.get("/api/echo/submissions/").json()["results"][0]
    assert (stored["name"], stored["message"]) == (name, data["message"])


def test_a_form_post_without_its_csrf_token_is_refused(api):
    """HTML forms need Django's CSRF token: without it the POST is a 403."""
    api.get("/echo/")

    response = api.post("/echo/", data={"name": "ann", "message": "hi"})

    assert response.status_code == HTTPStatus.FORBIDDEN


def test_the_echo_form_shows_field_errors_for_empty_input(api):
    """An empty echo form re-renders with an error beside each field."""
    response = submit(
        api, api.get("/echo/"), having="message", data={"name": "", "message": ""}
    )

    assert_page(response)
    assert response.text.count("This field is required.") >= 2


def test_echo_submissions_lists_the_newest_first(api):
    """/echo/submissions/ shows the most recent submissions, newest first."""
    older, newer = unique("older"), unique("newer")
    for name in (older, newer):
        api.post("/api/echo/submissions/", json={"name": name, "message": "hello"})

    response = api.get("/echo/submissions/")

    assert_page(response)
    assert response.text.index(newer) < response.text.index(older)
