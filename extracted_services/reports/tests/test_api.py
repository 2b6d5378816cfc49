"""The sales API: staff only, grouped rows, DRF-style pages, CSV, problems."""

import csv
import io
from http import HTTPStatus

import pytest

from extracted_services.reports.pipeline import apply_event, parse_entry
from extracted_services.reports.report import (
    BAD_DATE,
    BAD_GROUP,
    FROM_AFTER_TO,
    RANGE_TOO_LONG,
)

from .conftest import order_event, token

PROBLEM = "application/problem+json"
NOVEMBER = {"from": "2026-11-01", "to": "2026-11-30"}


def load(**kwargs) -> None:
    apply_event(parse_entry(order_event(**kwargs)))


@pytest.fixture
def sales(app):
    """Three paid orders over two days and two categories, and one failed order."""
    load(order_id=1, lines=[(3, "books", 2, "19.99")])
    load(
        order_id=2,
        lines=[(3, "books", 1, "19.99"), (10, "toys", 4, "2.50")],
        occurred_at="2026-11-23T08:00:00Z",
    )
    load(
        order_id=3, lines=[(10, "toys", 1, "2.50")], occurred_at="2026-11-23T09:00:00Z"
    )
    load(order_id=4, type="order.failed", lines=[(3, "books", 5, "19.99")])


def rows(response) -> list[tuple]:
    assert response.status_code == HTTPStatus.OK, response.text
    return [tuple(row.values()) for row in response.json["results"]]


def problem(response, status: HTTPStatus) -> dict:
    assert response.status_code == status, response.text
    assert response.content_type == PROBLEM
    body = response.json
    assert {"type", "title", "status", "detail"} <= body.keys()
    assert body["status"] == status
    return body


def test_sales_per_day(client, staff, sales):
    """Rows per UTC day: distinct paid orders, units, revenue as money; failed
    orders do not count."""
    response = client.get("/api/reports/sales/", query_string=NOVEMBER, headers=staff)

    assert rows(response) == [
        ("2026-11-22", 1, 2, "39.98"),
        ("2026-11-23", 2, 6, "32.49"),
    ]


def test_sales_per_category(client, staff, sales):
    """Rows per category slug, ordered by key."""
    query = {**NOVEMBER, "group": "category"}
    response = client.get("/api/reports/sales/", query_string=query, headers=staff)

    assert rows(response) == [("books", 2, 3, "59.97"), ("toys", 2, 5, "12.50")]


def test_sales_per_product_are_ordered_by_product_id(client, staff, sales):
    """Product keys are ids as strings, in numeric order: "3" before "10"."""
    query = {**NOVEMBER, "group": "product"}
    response = client.get("/api/reports/sales/", query_string=query, headers=staff)

    assert rows(response) == [("3", 2, 3, "59.97"), ("10", 2, 5, "12.50")]


def test_the_period_includes_both_ends(client, staff, sales):
    """from=to=one day is that day's figures only."""
    query = {"from": "2026-11-23", "to": "2026-11-23"}
    response = client.get("/api/reports/sales/", query_string=query, headers=staff)

    assert rows(response) == [("2026-11-23", 2, 6, "32.49")]


def test_without_dates_a_report_covers_the_last_30_days(client, staff, app):
    """Today's sale is in the default period; one 30 days ago is not."""
    from datetime import UTC, datetime, timedelta

    now = datetime.now(UTC)
    load(order_id=1, lines=[(1, "books", 1, "1.00")], occurred_at=now.isoformat())
    old = (now - timedelta(days=30)).isoformat()
    load(order_id=2, lines=[(1, "books", 1, "1.00")], occurred_at=old)

    response = client.get("/api/reports/sales/", headers=staff)

    assert rows(response) == [(now.date().isoformat(), 1, 1, "1.00")]


def test_pages_are_drf_pages(client, staff, sales):
    """{count, next, previous, results}, ?page_size= and absolute links."""
    query = {**NOVEMBER, "group": "product", "page_size": 1}
    first = client.get("/api/reports/sales/", query_string=query, headers=staff)
    second = client.get(first.json["next"], headers=staff)

    assert first.json["count"] == 2
    assert first.json["previous"] is None
    assert first.json["next"].startswith("http://localhost/api/reports/sales/?")
    assert "page=2" in first.json["next"]
    assert rows(first) == [("3", 2, 3, "59.97")]
    assert rows(second) == [("10", 2, 5, "12.50")]
    assert second.json["next"] is None
    assert "page=" not in second.json["previous"]


def test_a_page_past_the_last_is_a_404_problem(client, staff, sales):
    query = {**NOVEMBER, "page": 9}
    response = client.get("/api/reports/sales/", query_string=query, headers=staff)

    problem(response, HTTPStatus.NOT_FOUND)


def test_page_size_is_at_most_100(client, staff, app):
    for order_id in range(1, 106):
        load(order_id=order_id, lines=[(order_id, "books", 1, "1.00")])
    query = {**NOVEMBER, "group": "product", "page_size": 500}

    response = client.get("/api/reports/sales/", query_string=query, headers=staff)

    assert response.json["count"] == 105
    assert len(response.json["results"]) == 100


def test_csv_is_the_same_rows(client, staff, sales):
    """sales.csv: a header line, then every row as in the JSON."""
    query = {**NOVEMBER, "group": "category"}
    response = client.get("/api/reports/sales.csv", query_string=query, headers=staff)

    assert response.status_code == HTTPStatus.OK
    assert response.mimetype == "text/csv"
    table = list(csv.reader(io.StringIO(response.text)))
    assert table == [
        ["key", "orders", "units", "revenue"],
        ["books", "2", "3", "59.97"],
        ["toys", "2", "5", "12.50"],
    ]


@pytest.mark.parametrize("path", ["/api/reports/sales/", "/api/reports/sales.csv"])
def test_anonymous_callers_get_a_401_problem(client, path):
    response = client.get(path)

    problem(response, HTTPStatus.UNAUTHORIZED)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("path", ["/api/reports/sales/", "/api/reports/sales.csv"])
def test_customers_get_a_403_problem(client, customer, path):
    problem(client.get(path, headers=customer), HTTPStatus.FORBIDDEN)


@pytest.mark.parametrize(
    "bad",
    [
        token(is_staff=True, token_type="refresh"),
        token(is_staff=True, aud="somewhere-else"),
        token(is_staff=True, exp=1),
        "not-a-jwt",
    ],
    ids=["refresh token", "other audience", "expired", "garbage"],
)
def test_tokens_that_are_not_valid_access_tokens_get_a_401(client, bad):
    headers = {"Authorization": f"Bearer {bad}"}

    problem(client.get("/api/reports/sales/", headers=headers), HTTPStatus.UNAUTHORIZED)


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"from": "2026-11-31"}, "from", BAD_DATE),
        ({"to": "yesterday"}, "to", BAD_DATE),
        ({"from": "2026-11-02", "to": "2026-11-01"}, "from", FROM_AFTER_TO),
        ({"from": "2025-01-01", "to": "2026-01-02"}, "to", RANGE_TOO_LONG),
        ({"group": "week"}, "group", BAD_GROUP),
    ],
)
def test_bad_queries_are_400_problems_naming_the_field(
    client, staff, query, field, message
):
    response = client.get("/api/reports/sales/", query_string=query, headers=staff)

    body = problem(response, HTTPStatus.BAD_REQUEST)
    assert body["errors"] == {field: [message]}


def test_a_366_day_period_is_allowed(client, staff):
    query = {"from": "2024-01-01", "to": "2024-12-31"}  # a leap year

    response = client.get("/api/reports/sales/", query_string=query, headers=staff)

    assert response.status_code == HTTPStatus.OK


def test_the_csv_refuses_bad_queries_with_a_problem_too(client, staff):
    query = {"group": "week"}
    response = client.get("/api/reports/sales.csv", query_string=query, headers=staff)

    problem(response, HTTPStatus.BAD_REQUEST)


def test_empty_parameters_mean_not_given_as_in_drf(client, staff, sales):
    """``?from=&to=&group=&page=``: the defaults (the last 30 days, per day, page 1),
    as the monolith's serializer reads them, not a 400 or a 404."""
    query = {"from": "", "to": "", "group": "", "page": "", "page_size": ""}

    response = client.get("/api/reports/sales/", query_string=query, headers=staff)

    assert response.status_code == HTTPStatus.OK
    assert response.json["previous"] is None


@pytest.mark.parametrize(
    "query",
    [
        {"to": "0001-01-01"},  # the default `from`, 29 days earlier, is no date
        {"from": "9999-12-01", "to": "9999-12-31"},
    ],
    ids=["first day", "last day"],
)
@pytest.mark.parametrize("path", ["/api/reports/sales/", "/api/reports/sales.csv"])
def test_the_first_and_last_days_a_date_can_name_are_not_a_500(
    client, staff, path, query
):
    """A report at the edge of the calendar is empty, not an overflow."""
    response = client.get(path, query_string=query, headers=staff)

    assert response.status_code == HTTPStatus.OK


@pytest.mark.parametrize("user_id", ["abc", [7], None])
def test_a_signed_token_with_a_malformed_user_id_is_a_401_not_a_500(client, user_id):
    """Claims the gateway never writes, even under its signature: no user."""
    headers = {"Authorization": f"Bearer {token(is_staff=True, user_id=user_id)}"}

    response = client.get("/api/reports/sales/", headers=headers)

    problem(response, HTTPStatus.UNAUTHORIZED)


def test_only_a_true_staff_claim_is_staff(client):
    """``"is_staff": "false"`` is a string, truthy in Python, and not staff."""
    a_string = token(is_staff="false")  # type: ignore[arg-type]
    headers = {"Authorization": f"Bearer {a_string}"}

    response = client.get("/api/reports/sales/", headers=headers)

    problem(response, HTTPStatus.FORBIDDEN)
