"""GET /api/recommendations/: the contract's answer, its fallback and its 400s."""

from http import HTTPStatus

import pytest

from extracted_services.recommendations.model import build, save
from extracted_services.recommendations.problems import CONTENT_TYPE

A, B, C, D, E, F = 1, 2, 3, 4, 5, 6
URL = "/api/recommendations/"


@pytest.fixture
def trained(settings):
    """A model: A with B twice, A with C once, D alone, E and F together."""
    lines = [(1, A, 1), (1, B, 1), (2, A, 1), (2, B, 1), (3, A, 1), (3, C, 1)]
    lines += [(4, D, 9), (5, E, 1), (5, F, 1)]
    model = build(lines)
    save(model, settings.model_dir)
    return model


def test_the_answer_names_the_strategy_the_model_and_scored_results(client, trained):
    """For A: co-purchase, B first then C, with the model's version."""
    response = client.get(URL, params={"product_id": A})

    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert body["product_id"] == A
    assert body["strategy"] == "co-purchase"
    assert body["model"]["version"] == trained.version
    assert body["model"]["orders_seen"] == 5
    assert body["model"]["trained_at"].endswith("Z")
    assert [r["product_id"] for r in body["results"]] == [B, C]
    assert body["results"][0]["score"] > body["results"][1]["score"] > 0


def test_a_product_with_no_history_gets_the_popular_fallback(client, trained):
    """D was only ever bought alone: the best sellers, D itself left out."""
    response = client.get(URL, params={"product_id": D, "limit": 3})

    body = response.json()
    assert body["strategy"] == "popular"
    assert [r["product_id"] for r in body["results"]] == [A, B, C]


def test_before_any_training_the_fallback_answers_with_nothing(client):
    """No artifact yet: an empty popular list and a model with no version."""
    body = client.get(URL, params={"product_id": A}).json()

    assert body == {
        "product_id": A,
        "strategy": "popular",
        "model": {"version": None, "trained_at": None, "orders_seen": 0},
        "results": [],
    }


def test_limit_is_respected_and_defaults_to_four(client, settings):
    """Ten products bought together: four by default, at most ``limit``."""
    save(build([(1, p, 1) for p in range(1, 11)]), settings.model_dir)

    assert len(client.get(URL, params={"product_id": 1}).json()["results"]) == 4
    answer = client.get(URL, params={"product_id": 1, "limit": 20}).json()
    assert len(answer["results"]) == 9  # every other product, never itself
    assert (
        len(client.get(URL, params={"product_id": 1, "limit": 2}).json()["results"])
        == 2
    )


def test_an_empty_limit_means_the_default_as_in_drf(client, settings):
    """``?limit=`` is an empty form field, not a bad number: four results."""
    save(build([(1, p, 1) for p in range(1, 11)]), settings.model_dir)

    response = client.get(URL, params={"product_id": 1, "limit": ""})

    assert response.status_code == HTTPStatus.OK
    assert len(response.json()["results"]) == 4


def test_the_path_without_its_slash_redirects_to_a_path_not_to_this_process(client):
    """As Django's APPEND_SLASH: a 301 to the same path and query, with no host."""
    response = client.get(
        "/api/recommendations", params={"product_id": 1}, follow_redirects=False
    )

    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response.headers["location"] == "/api/recommendations/?product_id=1"


BAD_QUERIES = {
    "missing product_id": ({}, "product_id"),
    "non-integer product_id": ({"product_id": "abc"}, "product_id"),
    "zero product_id": ({"product_id": 0}, "product_id"),
    "limit zero": ({"product_id": 1, "limit": 0}, "limit"),
    "limit above 20": ({"product_id": 1, "limit": 21}, "limit"),
    "non-integer limit": ({"product_id": 1, "limit": "lots"}, "limit"),
}


@pytest.mark.parametrize(("params", "field"), BAD_QUERIES.values(), ids=BAD_QUERIES)
def test_bad_parameters_are_a_400_validation_problem(client, params, field):
    """400 (not FastAPI's 422), problem+json, ``errors`` naming the parameter."""
    response = client.get(URL, params=params)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.headers["content-type"] == CONTENT_TYPE
    body = response.json()
    assert body["type"] == "/problems/validation-error"
    assert body["status"] == HTTPStatus.BAD_REQUEST
    assert list(body["errors"]) == [field]
    assert all(isinstance(m, str) and m for m in body["errors"][field])


def test_the_schema_documents_the_400_problem_and_no_422(client):
    """/api/schema/: OpenAPI for the gateway to merge, with the contract's errors."""
    schema = client.get("/api/schema/").json()

    answers = schema["paths"][URL]["get"]["responses"]
    assert set(answers) == {"200", "400"}
    assert list(answers["400"]["content"]) == [CONTENT_TYPE]
    assert "RecommendationList" in schema["components"]["schemas"]
