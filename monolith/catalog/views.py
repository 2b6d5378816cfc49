"""The catalog's pages: the product list (the home page) and a product's page."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from monolith.cart.forms import CartAddForm

from .forms import ProductFilterForm
from .models import Product
from .selectors import category_list, product_get, product_list

PRODUCTS_PER_PAGE = 12


def product_list_view(request):
    form = ProductFilterForm(request.GET)
    if form.is_valid():
        search, slug = form.cleaned_data["q"], form.cleaned_data["category"]
        products = product_list(search=search, category=slug)
    else:  # e.g. a 5,000-character search: the form shows why, nothing matches
        search, slug = "", ""
        products = Product.objects.none()
    page = Paginator(products, PRODUCTS_PER_PAGE).get_page(request.GET.get("page"))
    categories = list(category_list())
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
        product = product_get(product_id=product_id)
    except Product.DoesNotExist as exc:
        raise Http404("No such product.") from exc
    form = CartAddForm(initial={"product_id": product.pk})
    context = {"product": product, "form": form}
    return render(request, "catalog/product_detail.html", context)
