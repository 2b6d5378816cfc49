"""Conventions every response keeps: request ids, problems, pagination, the schema."""

import re
from html.parser import HTMLParser
from http import HTTPStatus
from urllib.parse import urljoin, urlsplit

import pytest

from .helpers import (
    assert_field_error,
    assert_money,
    assert_problem,
    create_product,
)

GENERATED_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")


def test_a_valid_request_id_is_echoed(api):
    """A caller's plain X-Request-ID comes back unchanged."""
    response = api.get("/api/categories/", headers={"X-Request-ID": "lab-3.step-2"})

    assert response.headers["x-request-id"] == "lab-3.step-2"


def test_a_request_id_is_made_when_none_is_sent(api):
    """Without X-Request-ID every response still carries a fresh one."""
    first = api.get("/healthz").headers["x-request-id"]
    second = api.get("/healthz").headers["x-request-id"]

    assert GENERATED_ID.match(first)
    assert first != second


@pytest.mark.parametrize("bad", ["has space", "x" * 129, "<script>", "a;b"])
def test_an_invalid_request_id_is_replaced(api, bad):
    """An id unsafe for log lines is replaced by a new one."""
    response = api.get("/api/categories/", headers={"X-Request-ID": bad})

    assert response.headers["x-request-id"] != bad
    assert GENERATED_ID.match(response.headers["x-request-id"])


def test_responses_say_which_side_answered(api):
    """X-Served-By names the process that answered."""
    assert api.get("/api/categories/").headers["x-served-by"]


def test_prices_are_two_place_decimal_strings(api):
    """Money is a decimal string with two places, never a float."""
    results = api.get("/api/products/", params={"page_size": 100}).json()["results"]

    assert results
    for product in results:
        assert_money(product["price"])


def test_a_page_has_count_next_previous_and_results(stack, api):
    """Lists are DRF page-number pages that link to their neighbours."""
    first = api.get("/api/products/", params={"page_size": 2})
    body = first.json()

    assert first.status_code == HTTPStatus.OK
    assert set(body) == {"count", "next", "previous", "results"}
    assert len(body["results"]) == 2
    assert body["previous"] is None
    assert body["next"].startswith(f"{stack.base_url}/api/products/")
    second = api.get(body["next"]).json()
    assert second["previous"]
    assert {p["id"] for p in second["results"]}.isdisjoint(
        p["id"] for p in body["results"]
    )


def test_page_size_is_capped_at_100(api, staff):
    """A client may ask for any page size; it gets at most 100 items."""
    count = api.get("/api/products/").json()["count"]
    for _ in range(101 - count):  # the seed may hold fewer than 101 products
        create_product(api, staff, stock=1)

    page = api.get("/api/products/", params={"page_size": 1000}).json()

    assert page["count"] > 100
    assert len(page["results"]) == 100


def test_an_unknown_api_path_is_a_404_problem(api):
    """Even a path no view serves answers under /api/ with problem+json."""
    assert_problem(api.get("/api/no-such-thing/"), HTTPStatus.NOT_FOUND)


def test_a_missing_object_is_a_404_problem(api):
    """A product that does not exist is a 404 problem."""
    assert_problem(api.get("/api/products/987654321/"), HTTPStatus.NOT_FOUND)


def test_invalid_input_is_a_400_problem_naming_the_fields(api):
    """Validation errors are a 400 problem with ``errors`` per field."""
    response = api.post("/api/echo/submissions/", json={})

    body = assert_field_error(response, "name")
    assert "message" in body["errors"]


def test_a_malformed_json_body_is_a_400_problem(api):
    """A body that is not JSON is a 400 problem, not a 500."""
    response = api.post(
        "/api/echo/submissions/",
        content=b"{not json",
        headers={"Content-Type": "application/json"},
    )

    assert_problem(response, HTTPStatus.BAD_REQUEST)


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"items": "all of them", "card_number": 4242, "shipping": "home"},
        {"items": [{"product_id": "one", "quantity": "two"}]},
        {"items": [{"product_id": None, "quantity": 1.5}]},
        {"items": [None], "shipping": {"name": [], "address": {}}},
    ],
    ids=["a-list", "wrong-types", "words-for-numbers", "null-and-fraction", "nulls"],
)
def test_nonsense_order_bodies_are_400_problems(api, user, body):
    """Bodies of the wrong shape are validation problems, never a 500."""
    response = api.post("/api/orders/", json=body, headers=user.headers)

    assert_problem(response, HTTPStatus.BAD_REQUEST)
    assert response.json()["errors"]


def test_missing_credentials_are_a_401_problem(api):
    """An anonymous call to an authenticated endpoint is a 401 problem."""
    assert_problem(api.get("/api/orders/"), HTTPStatus.UNAUTHORIZED)


def test_a_forbidden_call_is_a_403_problem(api, user):
    """A signed-in customer writing to the catalog gets a 403 problem."""
    response = api.post("/api/products/", json={}, headers=user.headers)

    assert_problem(response, HTTPStatus.FORBIDDEN)


def test_a_wrong_method_is_a_405_problem(api):
    """A method the endpoint does not allow is a 405 problem naming the allowed ones."""
    response = api.get("/api/auth/token/")

    assert_problem(response, HTTPStatus.METHOD_NOT_ALLOWED)
    assert "POST" in response.headers["allow"]


@pytest.mark.parametrize(
    "path", ["/api/products/", "/api/categories/", "/api/echo/submissions/"]
)
def test_the_api_is_browsable(api, path):
    """An API URL asked for text/html renders DRF's browsable API."""
    response = api.get(path, headers={"Accept": "text/html"})

    assert response.status_code == HTTPStatus.OK
    assert response.headers["content-type"].startswith("text/html")
    assert "Django REST framework" in response.text


def test_an_api_error_asked_for_as_html_keeps_its_status(api):
    """The browsable API shows a 404 as a 404, never a server error page."""
    response = api.get("/api/products/987654321/", headers={"Accept": "text/html"})

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "Django REST framework" in response.text


def test_the_schema_is_openapi_3_and_covers_the_contract(api):
    """/api/schema/ is an OpenAPI 3 document with every path of the contract."""
    response = api.get("/api/schema/", params={"format": "json"})

    assert response.status_code == HTTPStatus.OK
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/auth/register/",
        "/api/auth/token/",
        "/api/auth/token/refresh/",
        "/api/auth/me/",
        "/api/categories/",
        "/api/products/",
        "/api/products/{product_id}/",
        "/api/orders/",
        "/api/orders/{order_id}/",
        "/api/echo/submissions/",
    } <= set(schema["paths"])


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and attributes.get("src"):
            self.urls.append(attributes["src"])
        if tag == "link" and attributes.get("href"):
            self.urls.append(attributes["href"])


def test_swagger_ui_is_served_from_the_stack_itself(api):
    """/api/docs/ loads every script and stylesheet locally: no CDN."""
    response = api.get("/api/docs/")
    assert response.status_code == HTTPStatus.OK
    assert response.headers["content-type"].startswith("text/html")
    parser = _Assets()
    parser.feed(response.text)

    assert parser.urls
    for url in parser.urls:
        absolute = urljoin(str(response.url), url)
        assert urlsplit(absolute).netloc == urlsplit(str(response.url)).netloc, url
        assert api.get(absolute).status_code == HTTPStatus.OK, url
