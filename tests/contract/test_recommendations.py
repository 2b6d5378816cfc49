"""Recommendations, on both stacks: paid orders teach "customers also bought".

Each test buys products of its own (made through the staff API), so no other test's
orders can change what it reads. The monolith's worker and the services' consumer
retrain every second or so: the tests poll with a deadline for the model to catch up.
"""

from http import HTTPStatus

import pytest

from .helpers import (
    DECLINED_CARD,
    assert_field_error,
    assert_problem,
    assert_timestamp,
    create_product,
    place_order,
    poll,
    settled_order,
)

URL = "/api/recommendations/"
LEARNING_DEADLINE = 30  # seconds: events consumed, a model trained, then loaded


@pytest.fixture
def products(api, staff):
    """Four products of this test's own: A, B, C, D."""
    return [create_product(api, staff, stock=50)["id"] for _ in range(4)]


def buy(api, user, products: list[int], *, card: str | None = None) -> dict:
    """One order of one of each product, settled (paid, or failed for a bad card)."""
    extra = {"card": card} if card else {}
    response = place_order(api, user, [(p, 1) for p in products], **extra)
    assert response.status_code in (HTTPStatus.CREATED, HTTPStatus.OK), response.text
    order = settled_order(api, user, response.json()["id"])
    assert order["status"] == ("failed" if card else "paid")
    return order


def learned(api, product_id: int, **params) -> dict:
    """The recommendations for a product, once the model knows its co-purchases."""

    def fetch() -> dict:
        response = api.get(URL, params={"product_id": product_id, **params})
        assert response.status_code == HTTPStatus.OK, response.text
        return response.json()

    return poll(
        fetch,
        lambda body: body["strategy"] == "co-purchase",
        timeout=LEARNING_DEADLINE,
        interval=0.3,
    )


def ids(body: dict) -> list[int]:
    return [result["product_id"] for result in body["results"]]


def test_after_paid_orders_buying_a_with_b_b_ranks_first(api, user, products):
    """A with B twice, A with C once: for A, B first, then C, best first."""
    a, b, c, _ = products
    buy(api, user, [a, b])
    buy(api, user, [a, b])
    buy(api, user, [a, c])

    body = poll(
        lambda: learned(api, a),
        lambda body: ids(body) == [b, c],
        timeout=LEARNING_DEADLINE,
    )

    assert body["product_id"] == a
    scores = [result["score"] for result in body["results"]]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] > scores[1]
    model = body["model"]
    assert isinstance(model["version"], str)
    assert model["version"]
    assert_timestamp(model["trained_at"])
    assert model["orders_seen"] >= 3


def test_failed_orders_do_not_count(api, user, products):
    """Declined orders of A with C, then one paid order of A with B: only B."""
    a, b, c, _ = products
    for _ in range(3):
        buy(api, user, [a, c], card=DECLINED_CARD)
    buy(api, user, [a, b])

    body = learned(api, a)

    assert ids(body) == [b]


def test_a_product_never_recommends_itself(api, user, products):
    """Not by co-purchase, and not by the fallback either."""
    a, b, c, d = products
    buy(api, user, [a, b, c])
    learned(api, a)

    for product in (a, b, c, d):
        body = api.get(URL, params={"product_id": product, "limit": 20}).json()
        assert product not in ids(body)
    assert learned(api, b)["strategy"] == "co-purchase"


def test_a_product_with_no_history_gets_the_documented_fallback(api, user, products):
    """D was never sold: ``popular``, best sellers among paid orders, never D."""
    a, b, _, d = products
    buy(api, user, [a, b])
    learned(api, a)

    body = api.get(URL, params={"product_id": d}).json()

    assert body["strategy"] == "popular"
    assert d not in ids(body)
    assert len(body["results"]) <= 4


def test_limit_is_respected(api, user, products):
    """Three co-purchases of A: two with limit=2, three by default (at most 4)."""
    a, *others = products
    buy(api, user, [a, *others])
    learned(api, a)

    assert (
        len(api.get(URL, params={"product_id": a, "limit": 2}).json()["results"]) == 2
    )
    assert sorted(ids(api.get(URL, params={"product_id": a}).json())) == sorted(others)
    assert (
        len(api.get(URL, params={"product_id": a, "limit": 1}).json()["results"]) == 1
    )


BAD_QUERIES = {
    "missing product_id": ({}, "product_id"),
    "non-integer product_id": ({"product_id": "abc"}, "product_id"),
    "limit zero": ({"product_id": 1, "limit": 0}, "limit"),
    "limit above 20": ({"product_id": 1, "limit": 21}, "limit"),
    "non-integer limit": ({"product_id": 1, "limit": "many"}, "limit"),
}


@pytest.mark.parametrize(("params", "field"), BAD_QUERIES.values(), ids=BAD_QUERIES)
def test_bad_parameters_are_a_400_problem(api, params, field):
    """A 400 validation problem naming the parameter, never a 422 or a 500."""
    response = api.get(URL, params=params)

    assert_field_error(response, field)


def test_recommendations_are_public(api):
    """No token needed: the answer is the same shape for anyone."""
    response = api.get(URL, params={"product_id": 1})

    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert set(body) == {"product_id", "strategy", "model", "results"}
    assert set(body["model"]) == {"version", "trained_at", "orders_seen"}


def test_an_empty_limit_means_the_default(api):
    """``?limit=`` is an empty form field, read as DRF reads it: not given."""
    response = api.get(URL, params={"product_id": 1, "limit": ""})

    assert response.status_code == HTTPStatus.OK


def test_head_answers_as_get_does(api):
    """HEAD is allowed wherever GET is (RFC 9110), whichever framework answers."""
    response = api.head(URL, params={"product_id": 1})

    assert response.status_code == HTTPStatus.OK
    assert response.headers["content-type"].startswith("application/json")


def test_unknown_paths_and_wrong_methods_are_the_same_problems_on_both_stacks(api):
    """The same status and detail, whichever framework answers."""
    missing = assert_problem(api.get(f"{URL}nope/"), HTTPStatus.NOT_FOUND)
    wrong = api.put(URL, params={"product_id": 1})

    assert missing["detail"] == "No such resource."
    body = assert_problem(wrong, HTTPStatus.METHOD_NOT_ALLOWED)
    assert body["detail"] == 'Method "PUT" not allowed.'
    assert "GET" in wrong.headers["allow"]


def test_without_its_slash_the_url_redirects_to_a_path_the_client_can_follow(api):
    """A 301 to the same path with its slash, never to an address inside the stack."""
    response = api.get(URL.rstrip("/"), params={"product_id": 1})

    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response.headers["location"] == f"{URL}?product_id=1"
