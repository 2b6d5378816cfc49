"""The catalog's pages: the product list (the home page) and a product's page."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from monolith.cart.forms import CartAddForm
from monolith.shop import NotFound, shop_for

from .forms import ProductFilterForm

PRODUCTS_PER_PAGE = 12
RECOMMENDED = 4  # "Customers also bought": at most this many products


def product_list_view(request):
    shop = shop_for(request)
    form = ProductFilterForm(request.GET)
    if form.is_valid():
        search, slug = form.cleaned_data["q"], form.cleaned_data["category"]
        page = shop.product_page(
            search=search,
            category=slug,
            number=request.GET.get("page"),
            per_page=PRODUCTS_PER_PAGE,
        )
    else:  # e.g. a 5,000-character search: the form shows why, nothing matches
        search, slug = "", ""
        page = Paginator([], PRODUCTS_PER_PAGE).get_page(1)
    categories = shop.categories()
    # Page links keep the filters: every parameter but the page number.
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page_obj": page,
        "search": search,
        "categories": categories,
        "current_category": next((c for c in categories if c.slug == slug), None),
        "query_string": query.urlencode(),
    }
    return render(request, "catalog/product_list.html", context)


def product_detail_view(request, product_id: int):
    try:
        product = shop_for(request).product(product_id=product_id)
    except NotFound as exc:
        raise Http404("No such product.") from exc
    form = CartAddForm(initial={"product_id": product.pk})
    # Optional: [] (no block) when the shop has none or cannot say in time.
    also_bought = shop_for(request).recommendations(
        product_id=product.pk, limit=RECOMMENDED
    )
    context = {"product": product, "form": form, "also_bought": also_bought}
    return render(request, "catalog/product_detail.html", context)
