"""The catalog's pages in services mode: the monolith's views, the gateway's data."""

import threading
from http import HTTPStatus

import pytest
from django.urls import reverse

from extracted_services.storefront.shop import RemoteShop
from monolith.catalog.views import PRODUCTS_PER_PAGE
from monolith.shop import shop_for

from .conftest import page_json, product_json
from .gateway_stand_in import Answer, problem

pytestmark = pytest.mark.django_db

LIST_URL = reverse("catalog:product-list")


def test_the_storefront_asks_the_gateway(rf):
    """The storefront's settings choose RemoteShop; a request gets one shop."""
    request = rf.get("/")

    assert isinstance(shop_for(request), RemoteShop)
    assert shop_for(request) is shop_for(request)


def test_the_product_list_shows_the_gateways_products(client, gateway, catalog):
    """Names link to product pages; prices, categories and stock come along."""
    response = client.get(LIST_URL, HTTP_X_REQUEST_ID="page-42")

    assert response.status_code == HTTPStatus.OK
    text = response.text
    assert '<a class="card-title" href="/products/1/">Green Tea</a>' in text
    assert "Tea &amp; Infusions" in text  # the category's name, not its slug
    assert "€12.50" in text
    assert "Only 3 left" in text
    assert "Out of stock" in text
    assert 'data-testid="product-count">3 products<' in text
    assert 'data-testid="served-by">storefront<' in text
    products = gateway.calls_to("/api/products/")
    assert [call.query for call in products] == [{"page_size": "12", "page": "1"}]
    # Both calls carry the page's request id, whichever thread made them.
    assert {call.headers["x-request-id"] for call in gateway.calls} == {"page-42"}


def test_search_and_category_are_passed_to_the_api(client, gateway, catalog):
    """?q= becomes ?search=, ?category= stays; the page is titled by the category."""
    response = client.get(LIST_URL, {"q": "green", "category": "tea", "page": "2"})

    (call,) = gateway.calls_to("/api/products/")
    assert call.query == {
        "search": "green",
        "category": "tea",
        "page_size": "12",
        "page": "2",
    }
    assert "<h1>Tea &amp; Infusions</h1>" in response.text


def test_the_list_pages_by_twelve_with_the_apis_count(client, gateway, catalog):
    """The API's count drives the page links, as a queryset's would."""
    results = [product_json(i) for i in range(1, PRODUCTS_PER_PAGE + 1)]
    gateway.answer("GET", "/api/products/", page_json(results, count=30))

    response = client.get(LIST_URL, {"category": "tea"})

    page = response.context["page_obj"]
    assert len(page) == PRODUCTS_PER_PAGE
    assert page.paginator.num_pages == 3
    assert 'href="?category=tea&amp;page=2"' in response.text


def test_a_page_past_the_end_shows_the_last_page(client, gateway, catalog):
    """DRF's 404 for page 9 of 2: the storefront shows page 2, as get_page does."""
    wanted = []

    def products(call):
        wanted.append(call.query["page"])
        if call.query["page"] == "9":
            return problem(HTTPStatus.NOT_FOUND, "Invalid page.")
        return Answer(body=page_json([product_json(13)], count=13))

    gateway.on("GET", "/api/products/", products)

    response = client.get(LIST_URL, {"page": "9"})

    assert wanted == ["9", "1", "2"]
    assert response.context["page_obj"].number == 2


@pytest.mark.parametrize("parallel", [True, False])
def test_categories_and_products_are_fetched_at_once_or_in_turn(
    client, gateway, catalog, settings, parallel
):
    """STOREFRONT_PARALLEL_CALLS: the list page's two calls overlap, or never do."""
    settings.STOREFRONT_PARALLEL_CALLS = parallel
    both_arrived = threading.Barrier(2, timeout=1)

    def wait_for_the_other(answer):
        def handler(call):
            if parallel:  # each answer waits until the other call has arrived
                both_arrived.wait()
            return answer

        return handler

    gateway.on("GET", "/api/categories/", wait_for_the_other(Answer(body=[])))
    gateway.on("GET", "/api/products/", wait_for_the_other(Answer(body=page_json([]))))

    response = client.get(LIST_URL)

    assert response.status_code == HTTPStatus.OK
    assert gateway.most_in_flight == (2 if parallel else 1)


def test_a_product_page_names_its_category(client, gateway, catalog):
    """The product and the categories (for the breadcrumbs): two calls."""
    response = client.get(reverse("catalog:product-detail", args=[2]))

    text = response.text
    assert "<h1>Teapot</h1>" in text
    assert 'data-testid="price">€12.50' in text
    assert '<a href="/?category=tea">Tea &amp; Infusions</a>' in text
    assert 'name="product_id" value="2"' in text
    assert "<fieldset>" in text
    assert len(gateway.calls) == 2


def test_an_out_of_stock_product_page_disables_its_form(client, gateway, catalog):
    """Stock 0 from the API: the same badge and disabled form as the monolith's."""
    response = client.get(reverse("catalog:product-detail", args=[3]))

    assert "<fieldset disabled>" in response.text


def test_an_unknown_product_is_the_sites_404_page(client, gateway, catalog):
    """The catalog's 404 problem becomes the storefront's own 404 page."""
    response = client.get(reverse("catalog:product-detail", args=[424242]))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "Page not found" in response.text
