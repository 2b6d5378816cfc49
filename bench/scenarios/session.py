"""The mixed shop session: signed-in shoppers browse, fill carts and check out."""

from collections.abc import Callable
from http import HTTPStatus

from .http import (
    SIGN_IN_PATH,
    ScenarioError,
    call,
    hidden_value,
    location,
    page,
    page_html,
    post_form,
    sign_in_page,
)
from .orders import APPROVED_CARD, SHIPPING
from .reads import add_to_cart, home_page_step

# How often a shopper does each thing, per 100 actions.
SESSION_WEIGHTS = {
    "home page": 25,
    "search": 15,
    "product page": 30,
    "add to cart": 12,
    "cart page": 10,
    "check out": 5,
    "sign out and in again": 3,
}


def session_setup(visitor) -> None:
    """Sign in before the window; a sign-in that fails is a setup failure, counted."""
    visitor.state["cart"] = {}
    if not sign_in_page(visitor):
        raise ScenarioError(visitor.state["sign_in_failure"])


def session_step(visitor) -> None:
    """One action of a signed-in shopper, drawn by ``SESSION_WEIGHTS``.

    A shopper whose last sign-in failed (its error already counted) signs in again
    first, as a person would, instead of meeting the sign-in page at checkout.
    """
    if not visitor.state["signed_in"]:
        sign_in_page(visitor)
        return
    actions = list(SESSION_WEIGHTS)
    action = visitor.rng.choices(actions, weights=list(SESSION_WEIGHTS.values()))[0]
    SESSION_ACTIONS[action](visitor)


def _session_product(visitor) -> int:
    product_id = visitor.rng.choice(visitor.data["product_ids"])
    page(visitor, f"/products/{product_id}/", name="/products/[id]/")
    return product_id


def _session_add(visitor) -> None:
    product_id = _session_product(visitor)
    if add_to_cart(visitor, product_id):
        cart = visitor.state["cart"]
        cart[product_id] = cart.get(product_id, 0) + 1


def _session_checkout(visitor) -> None:
    if not visitor.state["cart"]:
        _session_add(visitor)
        if not visitor.state["cart"]:
            return  # the add went wrong, and is counted: nothing to check out
    # Not following redirects: a checkout that sends the shopper elsewhere (to the
    # sign-in page: the session lost its sign-in) is an error that names where.
    response = call(
        visitor, "GET", "/checkout/", name="/checkout/", allow_redirects=False
    )
    if response.status_code != HTTPStatus.OK:  # the GET is the error recorded
        if location(response).startswith(SIGN_IN_PATH):
            visitor.state["signed_in"] = False  # so the next step signs in again
        return
    html = page_html(visitor, response)
    fields = {
        "shipping_name": SHIPPING["name"],
        "shipping_address": SHIPPING["address"],
        "card_number": APPROVED_CARD,
        "idempotency_key": hidden_value(html, "idempotency_key"),
    }
    response = post_form(visitor, "/checkout/", fields, name="/checkout/ (POST)")
    order_url = location(response)
    if response.status_code == HTTPStatus.FOUND and "/orders/" in order_url:
        visitor.accept(visitor.state["cart"])
        visitor.state["cart"] = {}
        page(visitor, order_url, name="/orders/[id]/")
    elif response.status_code == HTTPStatus.FOUND:
        visitor.fail("/checkout/ (POST)", f"sent to {order_url}, not to the order")


def _session_sign_in_again(visitor) -> None:
    page(visitor, "/", name="/")
    post_form(visitor, "/accounts/logout/", {}, name="/accounts/logout/ (POST)")
    visitor.state["cart"] = {}  # signing out ends the session, and its cart
    sign_in_page(visitor)


SESSION_ACTIONS: dict[str, Callable] = {
    "home page": home_page_step,
    "search": lambda v: page(
        v, f"/?q={v.rng.choice(v.data['words'])}", name="/?q=[word]"
    ),
    "product page": _session_product,
    "add to cart": _session_add,
    "cart page": lambda v: page(v, "/cart/", name="/cart/"),
    "check out": _session_checkout,
    "sign out and in again": _session_sign_in_again,
}
