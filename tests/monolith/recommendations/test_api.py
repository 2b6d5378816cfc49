"""GET /api/recommendations/: the same contract as the recommendations service."""

from http import HTTPStatus

import pytest

from monolith.core.problems import CONTENT_TYPE
from monolith.recommendations.services import model_train

pytestmark = pytest.mark.django_db
URL = "/api/recommendations/"


def test_after_paid_orders_the_most_bought_together_comes_first(
    api_client, products, buy
):
    """For A: co-purchase, B (bought with A twice) before C (once)."""
    a, b, c, _ = products
    buy(a, b)
    buy(a, b)
    buy(a, c)
    model = model_train()

    response = api_client.get(URL, {"product_id": a.pk})

    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert body["product_id"] == a.pk
    assert body["strategy"] == "co-purchase"
    assert body["model"]["version"] == model.version
    assert body["model"]["orders_seen"] == 3
    assert body["model"]["trained_at"].endswith("Z")
    assert [r["product_id"] for r in body["results"]] == [b.pk, c.pk]
    assert body["results"][0]["score"] > body["results"][1]["score"]


def test_a_product_with_no_history_gets_the_popular_fallback(api_client, products, buy):
    """D was never sold: the best sellers, best first, never D itself."""
    a, b, _, d = products
    buy(a, b)
    buy(a)
    model_train()

    body = api_client.get(URL, {"product_id": d.pk}).json()

    assert body["strategy"] == "popular"
    assert [r["product_id"] for r in body["results"]] == [a.pk, b.pk]


def test_before_any_training_the_answer_is_an_empty_fallback(api_client):
    body = api_client.get(URL, {"product_id": 1}).json()

    assert body == {
        "product_id": 1,
        "strategy": "popular",
        "model": {"version": None, "trained_at": None, "orders_seen": 0},
        "results": [],
    }


def test_limit_is_respected(api_client, products, buy):
    buy(*products)
    model_train()

    assert (
        len(api_client.get(URL, {"product_id": products[0].pk}).json()["results"]) == 3
    )
    limited = api_client.get(URL, {"product_id": products[0].pk, "limit": 2})
    assert len(limited.json()["results"]) == 2


BAD_QUERIES = {
    "missing product_id": ({}, "product_id"),
    "non-integer product_id": ({"product_id": "abc"}, "product_id"),
    "zero product_id": ({"product_id": 0}, "product_id"),
    "limit zero": ({"product_id": 1, "limit": 0}, "limit"),
    "limit above 20": ({"product_id": 1, "limit": 21}, "limit"),
}


@pytest.mark.parametrize(("params", "field"), BAD_QUERIES.values(), ids=BAD_QUERIES)
def test_bad_parameters_are_a_400_validation_problem(api_client, params, field):
    response = api_client.get(URL, params)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response["Content-Type"] == CONTENT_TYPE
    assert list(response.json()["errors"]) == [field]


def test_a_newer_artifact_is_served_without_a_restart(api_client, products, buy):
    """The worker trains; the web process answers with the new version next time."""
    buy(products[0], products[1])
    first = model_train()
    assert api_client.get(URL, {"product_id": 1}).json()["model"]["version"] == (
        first.version
    )

    buy(products[0], products[2])
    second = model_train()

    answer = api_client.get(URL, {"product_id": products[0].pk}).json()
    assert answer["model"]["version"] == second.version
    assert answer["model"]["orders_seen"] == 2


def test_the_schema_documents_the_operation(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()

    operation = schema["paths"][URL]["get"]
    assert {"product_id", "limit"} <= {p["name"] for p in operation["parameters"]}
    assert "RecommendationList" in schema["components"]["schemas"]
