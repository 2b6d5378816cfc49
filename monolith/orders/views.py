"""The order pages: checkout, your orders, one order."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from monolith.cart.cart import Cart
from monolith.cart.selectors import cart_lines, cart_total
from monolith.catalog.services import OutOfStock, UnknownProducts

from .forms import CheckoutForm
from .models import Order
from .selectors import order_get, order_list
from .services import IdempotencyKeyReused, order_place

ORDERS_PER_PAGE = 10
CART_EMPTY = "Your cart is empty: add something before you check out."
ORDER_PAID = "Thank you! Order #{order_id} is paid."
ORDER_DECLINED = "Order #{order_id} failed: {reason}. Nothing was charged."
FORM_ALREADY_USED = "That checkout form was already sent: please check and send again."


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
    lines, _missing = cart_lines(lines=cart.lines())
    context = {"form": form, "lines": lines, "total": cart_total(lines)}
    return render(request, "orders/checkout.html", context)


def _checkout_place(request, form, cart):
    """Place the order; a redirect when it is placed, None to show the form again."""
    try:
        placement = order_place(
            user=request.user,
            items=cart.lines().items(),  # the same service the API calls
            card_number=form.cleaned_data["card_number"],
            shipping_name=form.cleaned_data["shipping_name"],
            shipping_address=form.cleaned_data["shipping_address"],
            idempotency_key=form.cleaned_data["idempotency_key"],
        )
    except (OutOfStock, UnknownProducts) as exc:
        form.add_error(None, str(exc))  # the cart is kept, to be adjusted
        return None
    except ValidationError as exc:
        form.add_error(None, exc.messages)
        return None
    except IdempotencyKeyReused:
        messages.warning(request, FORM_ALREADY_USED)
        return redirect("orders:checkout")  # a fresh form, with a fresh key

    # Placed, paid or not: the order holds the items now, so the cart is done.
    # (The services stack learns the outcome later; it must empty the cart too.)
    cart.clear()
    order = placement.order
    if order.status == Order.Status.FAILED:
        reason = order.payment.get_failure_reason_display().lower()
        messages.error(request, ORDER_DECLINED.format(order_id=order.pk, reason=reason))
    else:
        messages.success(request, ORDER_PAID.format(order_id=order.pk))
    return redirect(order)


@login_required
def order_list_view(request):
    paginator = Paginator(order_list(user=request.user), ORDERS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "orders/order_list.html", {"page_obj": page})


@login_required
def order_detail_view(request, order_id: int):
    try:
        order = order_get(user=request.user, order_id=order_id)
    except Order.DoesNotExist as exc:
        # Someone else's order is as absent as one that never existed.
        raise Http404("No such order.") from exc
    return render(request, "orders/order_detail.html", {"order": order})
