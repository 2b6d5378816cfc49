"""The catalog API: public reads of categories and products, staff-only writes."""

from http import HTTPStatus

import pytest

from .helpers import (
    assert_field_error,
    assert_money,
    assert_problem,
    create_product,
    unique,
)

PRODUCT_FIELDS = {"id", "sku", "name", "description", "category", "price", "stock"}


@pytest.fixture
def categories(api):
    return api.get("/api/categories/").json()


def test_categories_are_a_list_of_slugs_and_names(api):
    """GET /api/categories/ is 200 [{slug, name}] for the whole catalog."""
    response = api.get("/api/categories/")

    assert response.status_code == HTTPStatus.OK
    categories = response.json()
    assert len(categories) >= 2
    for category in categories:
        assert set(category) == {"slug", "name"}
    assert len({c["slug"] for c in categories}) == len(categories)


def test_products_are_a_page_of_products(api, categories):
    """GET /api/products/ is a page of complete product representations."""
    response = api.get("/api/products/")

    assert response.status_code == HTTPStatus.OK
    page = response.json()
    assert page["count"] >= len(page["results"]) > 0
    slugs = {c["slug"] for c in categories}
    for product in page["results"]:
        assert set(product) == PRODUCT_FIELDS
        assert isinstance(product["id"], int)
        assert isinstance(product["stock"], int)
        assert product["category"] in slugs
        assert_money(product["price"])


def test_products_filter_by_category(api, categories):
    """?category=<slug> lists that category's products only."""
    slug = categories[0]["slug"]
    everything = api.get("/api/products/").json()["count"]

    page = api.get("/api/products/", params={"category": slug, "page_size": 100}).json()

    assert 0 < page["count"] < everything
    assert {p["category"] for p in page["results"]} == {slug}


def test_products_search_names_and_descriptions(api, staff):
    """?search= finds text in a product's name or its description."""
    in_name, in_description = unique("namword"), unique("descword")
    named = create_product(api, staff, stock=1, name=f"Kettle {in_name}")
    described = create_product(
        api, staff, stock=1, description=f"Whistles when {in_description} boils."
    )

    by_name = api.get("/api/products/", params={"search": in_name}).json()
    by_description = api.get("/api/products/", params={"search": in_description}).json()

    assert [p["id"] for p in by_name["results"]] == [named["id"]]
    assert [p["id"] for p in by_description["results"]] == [described["id"]]


def test_products_search_finds_every_word_as_a_prefix(api, staff):
    """?search=: each word starts a word of the product's, in any order; a rename or
    a delete shows at once; punctuation is never syntax; no words, no filter."""
    word = unique("w").replace("-", "")  # one word of letters and digits
    made = create_product(api, staff, stock=1, name=f"Teak {word} Lamp")
    url = f"/api/products/{made['id']}/"

    def found(search: str) -> list[int]:
        response = api.get("/api/products/", params={"search": search})
        assert response.status_code == HTTPStatus.OK, response.text
        return [p["id"] for p in response.json()["results"]]

    assert found(f"LAMP {word}") == [made["id"]]
    assert found(word[:9]) == [made["id"]]
    assert found(f'"{word}" (lamp*') == [made["id"]]
    assert found(f"{word} tray") == []
    api.patch(url, json={"name": f"Oak {word} Tray"}, headers=staff)
    assert found(f"{word} tray") == [made["id"]]
    assert found(f"{word} lamp") == []
    api.delete(url, headers=staff)
    assert found(word) == []
    everything = api.get("/api/products/").json()["count"]
    assert api.get("/api/products/", params={"search": " ?! "}).json()["count"] == (
        everything
    )


def test_products_by_ids_in_one_batch(api):
    """?ids=1,2,3 returns exactly those products in one request."""
    ids = [p["id"] for p in api.get("/api/products/").json()["results"][:3]]

    page = api.get("/api/products/", params={"ids": ",".join(map(str, ids))}).json()

    assert page["count"] == 3
    assert sorted(p["id"] for p in page["results"]) == sorted(ids)


def test_a_batch_of_100_ids_is_allowed(api):
    """Up to 100 ids fit in one batch, even ids that match no product."""
    response = api.get(
        "/api/products/", params={"ids": ",".join(map(str, range(1, 101)))}
    )

    assert response.status_code == HTTPStatus.OK


def test_more_than_100_ids_is_a_400(api):
    """A batch of 101 ids is a 400 problem naming ``ids``."""
    response = api.get(
        "/api/products/", params={"ids": ",".join(map(str, range(1, 102)))}
    )

    assert_field_error(response, "ids")


def test_ids_that_are_not_numbers_are_a_400(api):
    """?ids= must be comma-separated integers."""
    assert_field_error(api.get("/api/products/", params={"ids": "1,two"}), "ids")


def test_one_product(api):
    """GET /api/products/<id>/ is 200 with the product."""
    listed = api.get("/api/products/").json()["results"][0]

    response = api.get(f"/api/products/{listed['id']}/")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == listed


def test_an_unknown_product_is_a_404_problem(api):
    """A product id that does not exist is a 404 problem."""
    assert_problem(api.get("/api/products/987654321/"), HTTPStatus.NOT_FOUND)


def _new_product_body(category: str) -> dict:
    return {
        "sku": unique("SKU"),
        "name": unique("Teapot"),
        "description": "Holds tea.",
        "category": category,
        "price": "19.90",
        "stock": 7,
    }


@pytest.fixture
def existing(api, staff):
    return create_product(api, staff, stock=3)


def test_anonymous_writes_are_401(api, categories, existing):
    """Creating, changing or deleting products without a token is a 401 problem."""
    url = f"/api/products/{existing['id']}/"

    responses = [
        api.post("/api/products/", json=_new_product_body(categories[0]["slug"])),
        api.patch(url, json={"price": "1.00"}),
        api.delete(url),
    ]

    for response in responses:
        assert_problem(response, HTTPStatus.UNAUTHORIZED)
    assert api.get(url).json() == existing


def test_customers_writes_are_403(api, user, categories, existing):
    """A signed-in customer who is not staff gets a 403 problem for each write."""
    url = f"/api/products/{existing['id']}/"
    auth = user.headers

    responses = [
        api.post(
            "/api/products/",
            json=_new_product_body(categories[0]["slug"]),
            headers=auth,
        ),
        api.patch(url, json={"price": "1.00"}, headers=auth),
        api.delete(url, headers=auth),
    ]

    for response in responses:
        assert_problem(response, HTTPStatus.FORBIDDEN)
    assert api.get(url).json() == existing


def test_staff_create_a_product(api, staff, categories):
    """Staff POST /api/products/ is 201 with the product, which can then be read."""
    body = _new_product_body(categories[-1]["slug"])

    response = api.post("/api/products/", json=body, headers=staff)

    assert response.status_code == HTTPStatus.CREATED
    created = response.json()
    assert {k: created[k] for k in body} == body
    assert api.get(f"/api/products/{created['id']}/").json() == created


def test_staff_change_a_product(api, staff, existing):
    """Staff PATCH changes only the fields sent."""
    response = api.patch(
        f"/api/products/{existing['id']}/", json={"price": "5.5"}, headers=staff
    )

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {**existing, "price": "5.50"}


def test_staff_delete_a_product(api, staff, existing):
    """Staff DELETE is 204 and the product is gone."""
    url = f"/api/products/{existing['id']}/"

    response = api.delete(url, headers=staff)

    assert response.status_code == HTTPStatus.NO_CONTENT
    assert_problem(api.get(url), HTTPStatus.NOT_FOUND)


def test_invalid_product_fields_are_a_400(api, staff):
    """A product with a negative price or an unknown category is refused per field."""
    body = {**_new_product_body("no-such-category"), "price": "-1.00"}

    response = api.post("/api/products/", json=body, headers=staff)

    errors = assert_field_error(response, "price")["errors"]
    assert "category" in errors
