"""The order pages: checkout, your orders, one order."""

from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from monolith.cart.cart import Cart
from monolith.orders.models import Order
from monolith.orders.services import INVALID_CARD_NUMBER
from monolith.orders.views import CART_EMPTY, ORDERS_PER_PAGE
from monolith.payments.services import APPROVED_CARD, INSUFFICIENT_FUNDS_CARD

from .factories import PaidOrderFactory

pytestmark = pytest.mark.django_db

CHECKOUT = reverse("orders:checkout")
ORDERS = reverse("orders:order-list")


@pytest.fixture
def checkout_form():
    return {
        "shipping_name": "Ada Lovelace",
        "shipping_address": "12 St James's Square\nLondon",
        "card_number": "4242 4242 4242 4242",
        "idempotency_key": "form-1",
    }


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("url", [CHECKOUT, ORDERS, "/orders/1/"])
def test_the_order_pages_need_a_signed_in_user(client, url):
    """Anonymous visitors are sent to the login page, and back afterwards."""
    response = client.get(url)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


def test_checkout_with_an_empty_cart_goes_back_to_the_cart(signed_in_client):
    """There is nothing to pay for: the cart page says so."""
    response = signed_in_client.get(CHECKOUT, follow=True)

    assert response.redirect_chain == [(reverse("cart:detail"), HTTPStatus.FOUND)]
    assert CART_EMPTY in _messages(response)


def test_checkout_shows_the_cart_and_the_form(
    signed_in_client, cart_with, stocked_product
):
    """The summary lists each line and the total beside the form."""
    cart_with({stocked_product.pk: 2})

    response = signed_in_client.get(CHECKOUT)

    assert response.status_code == HTTPStatus.OK
    assert response.context["total"] == 25
    html = response.content.decode()
    assert "2 \N{MULTIPLICATION SIGN} Teapot" in html
    assert 'data-testid="checkout-total">€25.00<' in html
    assert 'name="idempotency_key"' in html


def test_a_paid_checkout_empties_the_cart_and_shows_the_order(
    signed_in_client, cart_with, stocked_product, checkout_form
):
    """The order is paid, the cart emptied, and the order's page says thank you."""
    cart_with({stocked_product.pk: 2})

    response = signed_in_client.post(CHECKOUT, checkout_form, follow=True)

    order = Order.objects.get()
    assert response.redirect_chain == [(order.get_absolute_url(), HTTPStatus.FOUND)]
    assert order.status == Order.Status.PAID
    assert order.shipping_address == "12 St James's Square\nLondon"
    assert f"Thank you! Order #{order.pk} is paid." in _messages(response)
    assert len(Cart(signed_in_client.session)) == 0
    stocked_product.refresh_from_db()
    assert stocked_product.stock == 3


def test_a_declined_checkout_shows_the_failed_order_and_why(
    signed_in_client, cart_with, stocked_product, checkout_form
):
    """A decline is an order too: failed, with the reason in words."""
    cart_with({stocked_product.pk: 2})
    checkout_form["card_number"] = INSUFFICIENT_FUNDS_CARD

    response = signed_in_client.post(CHECKOUT, checkout_form, follow=True)

    order = Order.objects.get()
    assert order.status == Order.Status.FAILED
    assert _messages(response) == [
        f"Order #{order.pk} failed: insufficient funds. Nothing was charged."
    ]
    assert 'data-testid="order-status">failed<' in response.content.decode()
    stocked_product.refresh_from_db()
    assert stocked_product.stock == 5


def test_invalid_fields_are_shown_beside_them(
    signed_in_client, cart_with, stocked_product, checkout_form
):
    """A mistyped card and a missing name: the form again, with both errors."""
    cart_with({stocked_product.pk: 2})
    checkout_form.update(card_number="4242 4242 4242 4241", shipping_name="")

    response = signed_in_client.post(CHECKOUT, checkout_form)

    assert response.status_code == HTTPStatus.OK
    form = response.context["form"]
    assert form.errors["card_number"] == [INVALID_CARD_NUMBER]
    assert "shipping_name" in form.errors
    assert INVALID_CARD_NUMBER in response.content.decode()
    assert not Order.objects.exists()


def test_out_of_stock_keeps_the_cart_and_names_the_product(
    signed_in_client, cart_with, stocked_product, checkout_form
):
    """The form comes back with an error above it; the cart is left to adjust."""
    cart_with({stocked_product.pk: 2})
    stocked_product.stock = 1
    stocked_product.save()

    response = signed_in_client.post(CHECKOUT, checkout_form)

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].non_field_errors() == [
        "Only 1 of Teapot left in stock."
    ]
    assert Cart(signed_in_client.session).lines() == {stocked_product.pk: 2}
    assert not Order.objects.exists()


def test_a_double_submitted_form_places_one_order(
    signed_in_client, cart_with, stocked_product, checkout_form
):
    """The form's hidden key makes the second click a replay of the first."""
    cart_with({stocked_product.pk: 2})
    session = signed_in_client.session
    saved_cart = dict(session["cart"])

    first = signed_in_client.post(CHECKOUT, checkout_form)
    # The second click left the browser before the first answer emptied the cart.
    session = signed_in_client.session
    session["cart"] = saved_cart
    session.save()
    second = signed_in_client.post(CHECKOUT, checkout_form)

    order = Order.objects.get()
    assert first["Location"] == second["Location"] == order.get_absolute_url()


def test_the_order_list_shows_your_orders_newest_first(
    signed_in_client, user, other_user
):
    """Other users' orders are not listed."""
    older, newer = PaidOrderFactory(user=user), PaidOrderFactory(user=user)
    PaidOrderFactory(user=other_user)

    response = signed_in_client.get(ORDERS)

    assert list(response.context["page_obj"]) == [newer, older]
    assert response.content.decode().count('data-testid="order-row"') == 2


def test_the_order_list_pages_by_ten(signed_in_client, user):
    """The eleventh order is on page 2."""
    PaidOrderFactory.create_batch(ORDERS_PER_PAGE + 1, user=user)

    first = signed_in_client.get(ORDERS)
    second = signed_in_client.get(ORDERS, {"page": 2})

    assert len(first.context["page_obj"]) == ORDERS_PER_PAGE
    assert len(second.context["page_obj"]) == 1
    assert 'rel="next"' in first.content.decode()


def test_the_order_list_says_when_there_are_none(signed_in_client):
    """An empty state with a way back to the shop."""
    response = signed_in_client.get(ORDERS)

    assert 'data-testid="no-orders"' in response.content.decode()


def test_the_order_list_costs_the_same_queries_for_one_order_or_many(
    signed_in_client, user, django_assert_max_num_queries
):
    """Session, user, count, a page of orders with payments, the page's lines."""
    PaidOrderFactory.create_batch(ORDERS_PER_PAGE, user=user)

    with django_assert_max_num_queries(5):
        response = signed_in_client.get(ORDERS)

    assert len(response.context["page_obj"]) == ORDERS_PER_PAGE


def test_an_order_page_shows_lines_total_shipping_and_payment(
    signed_in_client, paid_order
):
    """Everything about one order, its status where browser tests can read it."""
    response = signed_in_client.get(paid_order.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert 'data-testid="order-status">paid<' in html
    assert html.count('data-testid="order-line"') == 1
    assert 'data-testid="order-total"><strong>€39.98<' in html
    assert "12 St James&#x27;s Square<br>London" in html
    assert "card ending in 4242" in html
    assert 'http-equiv="refresh"' not in html  # paid is final


def test_a_pending_order_page_refreshes_itself(signed_in_client, user):
    """Until the payment is settled, the page reloads to show the live status."""
    order = PaidOrderFactory(user=user, status=Order.Status.PENDING, payment=None)

    response = signed_in_client.get(order.get_absolute_url())

    assert '<meta http-equiv="refresh" content="2">' in response.content.decode()


def test_another_users_order_page_is_a_404(client, other_user, paid_order):
    """Someone else's order is as absent as one that never existed."""
    client.force_login(other_user)

    response = client.get(paid_order.get_absolute_url())

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_a_card_number_on_the_page_is_never_the_full_one(
    signed_in_client, cart_with, stocked_product, checkout_form
):
    """After checkout, the order's page shows the last four digits only."""
    cart_with({stocked_product.pk: 1})

    response = signed_in_client.post(CHECKOUT, checkout_form, follow=True)

    assert APPROVED_CARD not in response.content.decode()
    assert "4242 4242 4242 4242" not in response.content.decode()
