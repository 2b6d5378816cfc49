"""The monolith's sales API: the reports service's contract, from one ORM query."""

import csv
import io
from datetime import UTC, datetime, timedelta
from http import HTTPStatus

import pytest

from monolith.reports.report import BAD_DATE, BAD_GROUP, FROM_AFTER_TO, RANGE_TOO_LONG

from .conftest import NOVEMBER, order_on

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
URL = "/api/reports/sales/"
CSV_URL = "/api/reports/sales.csv"


def rows(response) -> list[tuple]:
    assert response.status_code == HTTPStatus.OK, response.content
    return [tuple(row.values()) for row in response.json()["results"]]


def test_sales_per_day(staff_api, sales):
    """Paid orders per UTC day; the failed order does not count."""
    response = staff_api.get(URL, NOVEMBER)

    assert rows(response) == [
        ("2026-11-22", 1, 2, "39.98"),
        ("2026-11-23", 2, 6, "32.49"),
    ]


def test_sales_per_category(staff_api, sales):
    response = staff_api.get(URL, {**NOVEMBER, "group": "category"})

    assert rows(response) == [("books", 2, 3, "59.97"), ("toys", 2, 5, "12.50")]


def test_sales_per_product_are_keyed_by_id(staff_api, sales):
    response = staff_api.get(URL, {**NOVEMBER, "group": "product"})

    novel, kite = sales["novel"].pk, sales["kite"].pk
    assert rows(response) == [(str(novel), 2, 3, "59.97"), (str(kite), 2, 5, "12.50")]


def test_pages_are_drf_pages(staff_api, sales):
    first = staff_api.get(URL, {**NOVEMBER, "page_size": 1}).json()

    assert first["count"] == 2
    assert first["previous"] is None
    assert "page=2" in first["next"]
    assert len(first["results"]) == 1


def test_csv_is_the_same_rows(staff_api, sales):
    response = staff_api.get(CSV_URL, {**NOVEMBER, "group": "category"})

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/csv")
    assert list(csv.reader(io.StringIO(response.content.decode()))) == [
        ["key", "orders", "units", "revenue"],
        ["books", "2", "3", "59.97"],
        ["toys", "2", "5", "12.50"],
    ]


@pytest.mark.parametrize("url", [URL, CSV_URL])
def test_anonymous_callers_get_a_401_problem(api_client, url):
    response = api_client.get(url)

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["Content-Type"] == PROBLEM


@pytest.mark.parametrize("url", [URL, CSV_URL])
def test_customers_get_a_403_problem(auth_api_client, url):
    response = auth_api_client.get(url)

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response["Content-Type"] == PROBLEM


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"from": "2026-11-31"}, "from", BAD_DATE),
        ({"from": "2026-11-02", "to": "2026-11-01"}, "from", FROM_AFTER_TO),
        ({"from": "2025-01-01", "to": "2026-01-02"}, "to", RANGE_TOO_LONG),
        ({"group": "week"}, "group", BAD_GROUP),
    ],
)
@pytest.mark.parametrize("url", [URL, CSV_URL])
def test_bad_queries_are_400_problems(staff_api, url, query, field, message):
    response = staff_api.get(url, query)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response["Content-Type"] == PROBLEM
    assert response.json()["errors"] == {field: [message]}


@pytest.mark.parametrize(
    "query",
    [
        {"to": "0001-01-01"},  # the default `from`, 29 days earlier, is no date
        {"from": "9999-12-01", "to": "9999-12-31"},  # the day after is no date
    ],
    ids=["first day", "last day"],
)
@pytest.mark.parametrize("url", [URL, CSV_URL])
def test_the_first_and_last_days_a_date_can_name_are_not_a_500(staff_api, url, query):
    """A report at the edge of the calendar is empty, not an overflow."""
    response = staff_api.get(url, query)

    assert response.status_code == HTTPStatus.OK


def test_the_last_instant_of_the_last_day_counts(staff_api, sales):
    """`to` includes its whole UTC day, up to its last microsecond."""
    last = datetime(2026, 11, 30, 23, 59, 59, 999999, tzinfo=UTC)
    order_on(last, [(sales["kite"], 1)])
    order_on(last + timedelta(microseconds=1), [(sales["kite"], 1)])

    response = staff_api.get(URL, NOVEMBER)

    assert rows(response)[-1] == ("2026-11-30", 1, 1, "2.50")
