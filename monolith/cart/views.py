"""The cart's pages: show it, add to it, change a line's quantity, remove a line."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from monolith.shop import shop_for

from .cart import MAX_QUANTITY, Cart
from .forms import CartAddForm, CartUpdateForm
from .selectors import cart_lines, cart_total

ADDED = "Added {name} to your cart (quantity {quantity})."
AT_LIMIT = "Your cart already holds {quantity} of {name}, the most per order."
UPDATED = "Your cart is updated."
REMOVED = "Removed from your cart."
BAD_QUANTITY = f"Choose a quantity from 1 to {MAX_QUANTITY}."
BAD_UPDATE = f"Choose a quantity from 0 (remove) to {MAX_QUANTITY}."
UNKNOWN_PRODUCT = "That product is not for sale."
OUT_OF_STOCK = "{name} is out of stock."
PRODUCTS_GONE = "Some products in your cart are no longer sold and were removed."


def cart_detail_view(request):
    cart = Cart(request.session)
    lines, missing = cart_lines(lines=cart.lines(), shop=shop_for(request))
    if missing:  # deleted since they were added: drop them, and say so once
        for product_id in missing:
            cart.remove(product_id)
        messages.warning(request, PRODUCTS_GONE)
    context = {"lines": lines, "total": cart_total(lines)}
    return render(request, "cart/detail.html", context)


@require_POST
def cart_add_view(request):
    form = CartAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, BAD_QUANTITY)
        # Back to the product's page when the id at least was a number.
        if "product_id" in form.cleaned_data:
            product_id = form.cleaned_data["product_id"]
            return redirect("catalog:product-detail", product_id=product_id)
        return redirect("catalog:product-list")
    product_id = form.cleaned_data["product_id"]
    # The cart's own read, by ids: the product page's categories are not needed.
    product = shop_for(request).products(ids=[product_id]).get(product_id)
    if product is None:
        messages.error(request, UNKNOWN_PRODUCT)
        return redirect("catalog:product-list")
    if not product.in_stock:
        messages.error(request, OUT_OF_STOCK.format(name=product.name))
        return redirect(product)

    cart = Cart(request.session)
    added = cart.add(product.pk, form.cleaned_data["quantity"])
    if added:
        messages.success(request, ADDED.format(quantity=added, name=product.name))
    else:
        messages.info(
            request, AT_LIMIT.format(quantity=MAX_QUANTITY, name=product.name)
        )
    return redirect("cart:detail")


@require_POST
def cart_update_view(request, product_id: int):
    form = CartUpdateForm(request.POST)
    cart = Cart(request.session)
    if not form.is_valid():
        messages.error(request, BAD_UPDATE)
    elif product_id in cart:  # a stale form for a line removed meanwhile: no-op
        cart.set(product_id, form.cleaned_data["quantity"])
        messages.success(request, UPDATED)
    return redirect("cart:detail")


@require_POST
def cart_remove_view(request, product_id: int):
    Cart(request.session).remove(product_id)
    messages.success(request, REMOVED)
    return redirect("cart:detail")
