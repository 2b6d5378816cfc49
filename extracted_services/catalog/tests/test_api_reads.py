"""The catalog's public API: categories, pages of products, batches, one product.

The monolith's tests (tests/monolith/catalog/test_api_reads.py), against the service.
"""

from http import HTTPStatus

import pytest

from extracted_services.catalog.apis.reads import (
    IDS_NOT_INTEGERS,
    IDS_TOO_MANY,
    MAX_BATCH_IDS,
)
from extracted_services.chassis.problems import CONTENT_TYPE

from .factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_categories_are_a_plain_list_of_slug_and_name(api_client):
    """GET /api/categories/ is a list (no page), by name."""
    CategoryFactory(slug="tools", name="Tools")
    CategoryFactory(slug="art", name="Art")

    response = api_client.get("/api/categories/")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == [
        {"slug": "art", "name": "Art"},
        {"slug": "tools", "name": "Tools"},
    ]


def test_a_product_has_exactly_the_contract_fields(api_client, product):
    """Product JSON: id, sku, name, description, category slug, price string, stock."""
    response = api_client.get(f"/api/products/{product.pk}/")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "id": product.pk,
        "sku": product.sku,
        "name": product.name,
        "description": "A fine product.",
        "category": product.category.slug,
        "price": "19.99",
        "stock": 10,
    }


def test_products_come_in_pages(api_client):
    """GET /api/products/ is a page: count, next, previous, results."""
    ProductFactory.create_batch(3)

    response = api_client.get("/api/products/", {"page_size": 2})

    body = response.json()
    assert response.status_code == HTTPStatus.OK
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"] == "http://testserver/api/products/?page=2&page_size=2"
    assert body["previous"] is None


def test_page_links_name_the_gateway_that_was_asked(api_client):
    """Behind the gateway, ``next`` points at the gateway's host, not catalog's."""
    ProductFactory.create_batch(3)

    response = api_client.get(
        "/api/products/", {"page_size": 2}, HTTP_X_FORWARDED_HOST="localhost:8100"
    )

    assert response.json()["next"].startswith("http://localhost:8100/api/products/")


def test_products_filter_by_category(api_client):
    """``?category=<slug>`` lists that category's products only."""
    book = ProductFactory(category=CategoryFactory(slug="books"))
    ProductFactory()

    response = api_client.get("/api/products/", {"category": "books"})

    assert [p["id"] for p in response.json()["results"]] == [book.pk]


def test_an_unknown_category_is_an_empty_page(api_client, product):
    """A slug no category has is a 200 with no results, not an error."""
    response = api_client.get("/api/products/", {"category": "no-such-thing"})

    assert response.status_code == HTTPStatus.OK
    assert response.json()["count"] == 0


def test_products_search_name_and_description(api_client):
    """``?search=`` matches name or description, ignoring case."""
    kettle = ProductFactory(name="Copper Kettle")
    pan = ProductFactory(name="Steel Pan", description="Heats like a KETTLE.")
    ProductFactory(name="Apron")

    response = api_client.get("/api/products/", {"search": "kettle"})

    assert [p["id"] for p in response.json()["results"]] == [kettle.pk, pan.pk]


def test_a_batch_of_ids_comes_back_whole_on_one_page(api_client):
    """``?ids=`` returns those products, all of them, beyond the default page size."""
    products = ProductFactory.create_batch(30)
    ids = [p.pk for p in products]

    response = api_client.get("/api/products/", {"ids": ",".join(map(str, ids))})

    body = response.json()
    assert response.status_code == HTTPStatus.OK
    assert body["count"] == 30
    assert sorted(p["id"] for p in body["results"]) == sorted(ids)
    assert body["next"] is None


def test_a_batch_ignores_unknown_ids_and_duplicates(api_client, product):
    """Ids without a product are simply absent; repeated ids count once."""
    ids = f"{product.pk}, {product.pk},999999"

    response = api_client.get("/api/products/", {"ids": ids})

    assert [p["id"] for p in response.json()["results"]] == [product.pk]


def test_an_empty_batch_is_an_empty_page(api_client, product):
    """``?ids=`` with nothing in it asks for no products."""
    response = api_client.get("/api/products/", {"ids": ""})

    assert response.json()["count"] == 0


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        ("a,b", IDS_NOT_INTEGERS),
        ("1,-2", IDS_NOT_INTEGERS),
        ("1.5", IDS_NOT_INTEGERS),
        ("9" * 30, IDS_NOT_INTEGERS),
        (",".join(map(str, range(1, MAX_BATCH_IDS + 2))), IDS_TOO_MANY),
    ],
)
def test_bad_ids_are_a_400_problem_naming_ids(api_client, ids, message):
    """Ids that are not small whole numbers, or more than 100, are a 400 on ``ids``."""
    response = api_client.get("/api/products/", {"ids": ids})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response["Content-Type"] == CONTENT_TYPE
    body = response.json()
    assert body["type"] == "/problems/validation-error"
    assert body["errors"] == {"ids": [message]}


def test_a_nul_character_in_a_search_is_a_400_not_a_500(api_client):
    """Input the database cannot take is refused up front."""
    response = api_client.get("/api/products/", {"search": "tea\x00"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "search" in response.json()["errors"]


def test_a_page_past_the_end_is_a_404_problem(api_client, product):
    """``?page=`` beyond the last page is a 404 problem, not an empty page."""
    response = api_client.get("/api/products/", {"page": 9})

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response["Content-Type"] == CONTENT_TYPE


def test_an_unknown_product_is_a_404_problem(api_client):
    """GET /api/products/<unknown id>/ is a problem+json 404."""
    response = api_client.get("/api/products/424242/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response["Content-Type"] == CONTENT_TYPE
    assert response.json()["status"] == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("count", [1, 25])
def test_listing_products_takes_two_queries_however_many(
    api_client, settings, django_assert_num_queries, count
):
    """Uncached, a page of products is a count and one select: no query per product."""
    settings.CATALOG_CACHE = False
    ProductFactory.create_batch(count)

    with django_assert_num_queries(2):
        response = api_client.get("/api/products/", {"page_size": 25})

    assert len(response.json()["results"]) == count


def test_answers_say_that_catalog_served_them(api_client):
    """Every answer names the service (X-Served-By) and carries a request id."""
    response = api_client.get("/api/categories/", HTTP_X_REQUEST_ID="trace-me-123")

    assert response["X-Served-By"] == "catalog"
    assert response["X-Request-ID"] == "trace-me-123"


def test_the_public_schema_documents_the_catalog_and_its_filters(api_client):
    """/api/schema/ has the catalog's paths and query parameters, and no /internal/."""
    schema = api_client.get("/api/schema/", {"format": "json"}).json()

    products = schema["paths"]["/api/products/"]
    parameters = {p["name"] for p in products["get"]["parameters"]}
    assert {"category", "search", "ids", "page", "page_size"} <= parameters
    assert "201" in products["post"]["responses"]
    item = schema["paths"]["/api/products/{product_id}/"]
    assert {"get", "patch", "delete"} <= set(item)
    assert schema["paths"]["/api/categories/"]["get"]["responses"]["200"]
    assert not [path for path in schema["paths"] if path.startswith("/internal/")]


def test_the_internal_schema_documents_the_reservations(api_client):
    """/internal/schema/ describes what other services may call, and only that."""
    schema = api_client.get("/internal/schema/", {"format": "json"}).json()

    assert set(schema["paths"]) == {
        "/internal/reservations/",
        "/internal/reservations/{order_ref}/",
    }
