"""Scenarios that read: JSON lists and details, search, and the HTML pages."""

from http import HTTPStatus

from .http import call, note_trace, page, page_html, post_form

CART_LINES = 10  # the cart-page scenario's cart


def floor_step(visitor) -> None:
    call(visitor, "GET", "/healthz", name="/healthz")


def hop_step(visitor) -> None:
    """One round trip of the hop scenario (``bench/hop.py``): its part's path."""
    hop = visitor.data["hop"]
    name = f"hop: {hop['part']}"
    call(visitor, "GET", hop["path"], name=name, expect=(hop["status"],))


def product_list_step(visitor) -> None:
    number = visitor.rng.randint(1, visitor.data["list_pages"])
    call(
        visitor, "GET", f"/api/products/?page={number}", name="/api/products/?page=[n]"
    )


def product_detail_step(visitor) -> None:
    product_id = visitor.rng.choice(visitor.data["product_ids"])
    call(visitor, "GET", f"/api/products/{product_id}/", name="/api/products/[id]/")


def search_step(visitor) -> None:
    word = visitor.rng.choice(visitor.data["words"])
    call(
        visitor,
        "GET",
        f"/api/products/?search={word}",
        name="/api/products/?search=[word]",
    )


def home_page_step(visitor) -> None:
    response = call(visitor, "GET", "/", name="/")
    page_html(visitor, response)
    note_trace(visitor, response)


def fill_cart(visitor, lines: int = CART_LINES) -> None:
    """Put ``lines`` different products in the session's cart, one of each."""
    product_ids = visitor.rng.sample(visitor.data["product_ids"], lines)
    page(visitor, f"/products/{product_ids[0]}/", name="/products/[id]/")
    for product_id in product_ids:
        add_to_cart(visitor, product_id)


def add_to_cart(visitor, product_id: int) -> bool:
    """One of ``product_id`` into the cart; True once the shop shows the cart."""
    fields = {"product_id": product_id, "quantity": 1}
    response = post_form(visitor, "/cart/add/", fields, name="/cart/add/ (POST)")
    if response.status_code != HTTPStatus.FOUND:
        return False  # the request itself is counted as the error
    location = response.headers.get("Location", "")
    if not location.rstrip("/").endswith("/cart"):  # e.g. back to a sold-out product
        visitor.fail("/cart/add/ (POST)", f"not added: sent to {location}")
        return False
    return True


def cart_page_step(visitor) -> None:
    page(visitor, "/cart/", name="/cart/ (10 lines)")
