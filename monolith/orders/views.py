"""The order pages: checkout, your orders, one order."""

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from monolith.cart.cart import Cart
from monolith.cart.selectors import cart_lines, cart_total
from monolith.shop import (
    IdempotencyKeyReused,
    NotFound,
    Refused,
    Unavailable,
    shop_for,
)

from .forms import CheckoutForm
from .models import Order

ORDERS_PER_PAGE = 10
CART_EMPTY = "Your cart is empty: add something before you check out."
ORDER_PAID = "Thank you! Order #{order_id} is paid."
ORDER_DECLINED = "Order #{order_id} failed: {reason}. Nothing was charged."
# The services stack charges the card after answering: the order page shows how.
ORDER_PLACED = "Thank you! Order #{order_id} is placed; its payment is on its way."
FORM_ALREADY_USED = "That checkout form was already sent: please check and send again."


# The card number never shows in Django's error reports (the admins' email).
@sensitive_post_parameters("card_number")
@login_required
def checkout_view(request):
    cart = Cart(request.session)
    if not cart:
        messages.info(request, CART_EMPTY)
        return redirect("cart:detail")
    if request.method == "POST":
        form = CheckoutForm(request.POST)
        if form.is_valid():
            response = _checkout_place(request, form, cart)
            if response is not None:
                return response
    else:
        form = CheckoutForm()
    return _checkout_form(request, form, cart)


def _checkout_form(request, form, cart, status: int = HTTPStatus.OK) -> HttpResponse:
    lines, _missing = cart_lines(lines=cart.lines(), shop=shop_for(request))
    context = {"form": form, "lines": lines, "total": cart_total(lines)}
    return render(request, "orders/checkout.html", context, status=status)


def _checkout_place(request, form, cart):
    """Place the order; a redirect when it is placed, None to show the form again
    (a 503 form when a service did not answer)."""
    try:
        order = shop_for(request).order_place(
            items=cart.lines().items(),  # the same service the API calls
            card_number=form.cleaned_data["card_number"],
            shipping_name=form.cleaned_data["shipping_name"],
            shipping_address=form.cleaned_data["shipping_address"],
            idempotency_key=form.cleaned_data["idempotency_key"],
        )
    except Refused as exc:  # out of stock, say: the cart is kept, to be adjusted
        form.add_error(None, exc.messages)
        return None
    except Unavailable as exc:
        # Services mode. The form again, with what was typed and the same key, so
        # sending it again is safe; but as a 503 with Retry-After, not a 200: nothing
        # was placed, and a client (or a test) must not take it for a page that worked.
        form.add_error(None, str(exc.detail))
        response = _checkout_form(request, form, cart, HTTPStatus.SERVICE_UNAVAILABLE)
        response["Retry-After"] = exc.headers["Retry-After"]
        return response
    except IdempotencyKeyReused:
        messages.warning(request, FORM_ALREADY_USED)
        return redirect("orders:checkout")  # a fresh form, with a fresh key

    # Placed, paid or not: the order holds the items now, so the cart is done.
    cart.clear()
    if order.status == Order.Status.PAID:
        messages.success(request, ORDER_PAID.format(order_id=order.pk))
    elif order.status == Order.Status.FAILED:
        # A failed order always has its payment: the decline is what failed it.
        payment = order.payment
        reason = payment.get_failure_reason_display().lower() if payment else ""
        messages.error(request, ORDER_DECLINED.format(order_id=order.pk, reason=reason))
    else:  # pending: the services stack learns the outcome a moment later
        messages.success(request, ORDER_PLACED.format(order_id=order.pk))
    return redirect(order)


@never_cache  # the user's own orders: never in a shared cache
@login_required
def order_list_view(request):
    page = shop_for(request).order_page(
        number=request.GET.get("page"), per_page=ORDERS_PER_PAGE
    )
    return render(request, "orders/order_list.html", {"page_obj": page})


@never_cache  # the user's own orders: never in a shared cache
@login_required
def order_detail_view(request, order_id: int):
    try:
        order = shop_for(request).order(order_id=order_id)
    except NotFound as exc:
        # Someone else's order is as absent as one that never existed.
        raise Http404("No such order.") from exc
    return render(request, "orders/order_detail.html", {"order": order})
