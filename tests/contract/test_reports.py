"""Sales reports (CONTRACT.md, "Sales reports"): staff only; totals of paid orders.

The monolith answers with a query over its orders; the services stack with what the
reports service loaded from the order events, a few seconds later: so the tests
poll, with a deadline, until the figures show.
"""

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from .helpers import (
    DECLINED_CARD,
    assert_field_error,
    assert_money,
    assert_problem,
    create_product,
    place_order,
    poll,
    settled_order,
)

URL = "/api/reports/sales/"
CSV_URL = "/api/reports/sales.csv"
REPORT_DEADLINE = 30  # seconds: payment, the outbox relay, the stream, the consumer
ROW_FIELDS = {"key", "orders", "units", "revenue"}
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def period() -> dict[str, str]:
    """Yesterday to tomorrow (UTC): today's orders, even across midnight."""
    today = datetime.now(UTC).date()
    return {
        "from": (today - timedelta(days=1)).isoformat(),
        "to": (today + timedelta(days=1)).isoformat(),
    }


def all_rows(api: httpx.Client, staff: dict, group: str) -> list[dict]:
    """Every row of the period, page after page (following ``next``)."""
    query = {**period(), "group": group, "page_size": "100"}
    response = api.get(URL, params=query, headers=staff)
    rows = []
    while True:
        assert response.status_code == HTTPStatus.OK, response.text
        page = response.json()
        rows += page["results"]
        if page["next"] is None:
            return rows
        response = api.get(page["next"], headers=staff)


def figures(rows: list[dict]) -> dict[str, tuple[int, int, Decimal]]:
    return {
        row["key"]: (row["orders"], row["units"], Decimal(row["revenue"]))
        for row in rows
    }


def grand_total(rows: list[dict]) -> tuple[int, Decimal]:
    """Units and revenue over every row: the same whatever the grouping."""
    return (
        sum(row["units"] for row in rows),
        sum((Decimal(row["revenue"]) for row in rows), Decimal(0)),
    )


@pytest.fixture
def products(api, staff):
    """Two products of the test's own, so their figures are the test's alone."""
    return (
        create_product(api, staff, stock=50, price="12.50"),
        create_product(api, staff, stock=50, price="3.20"),
    )


def test_totals_equal_the_sum_of_paid_orders(api, staff, user, other_user, products):
    """Per product, the paid orders' units and revenue; a failed order adds nothing;
    per day and per category the same grand total."""
    a, b = products
    placed = [
        (user, [(a["id"], 2), (b["id"], 1)], None),
        (other_user, [(a["id"], 1)], None),
        (user, [(b["id"], 3)], DECLINED_CARD),
    ]
    for customer, items, card in placed:
        kwargs = {"card": card} if card else {}
        response = place_order(api, customer, items, **kwargs)
        assert response.status_code == HTTPStatus.CREATED, response.text
        settled = settled_order(api, customer, response.json()["id"])
        assert settled["status"] == ("failed" if card else "paid")
    expected = {
        str(a["id"]): (2, 3, Decimal("37.50")),
        str(b["id"]): (1, 1, Decimal("3.20")),
    }

    def ours(rows: list[dict]) -> dict:
        return {k: v for k, v in figures(rows).items() if k in expected}

    by_product = poll(
        lambda: all_rows(api, staff, "product"),
        lambda rows: ours(rows) == expected,
        timeout=REPORT_DEADLINE,
    )
    for row in by_product:
        assert set(row) == ROW_FIELDS
        assert_money(row["revenue"])

    # Other tests' orders may still be arriving: wait until the three groupings agree.
    def three_ways() -> list[tuple[int, Decimal]]:
        return [
            grand_total(all_rows(api, staff, g)) for g in ("day", "category", "product")
        ]

    totals = poll(three_ways, lambda t: t[0] == t[1] == t[2], timeout=REPORT_DEADLINE)
    units, revenue = totals[0]
    assert units >= 4
    assert revenue >= Decimal("40.70")
    days = all_rows(api, staff, "day")
    assert [row["key"] for row in days] == sorted(row["key"] for row in days)
    assert all(DAY.match(row["key"]) for row in days)


@pytest.mark.parametrize("url", [URL, CSV_URL])
def test_anonymous_callers_get_a_401_problem(api, url):
    assert_problem(api.get(url), HTTPStatus.UNAUTHORIZED)


@pytest.mark.parametrize("url", [URL, CSV_URL])
def test_customers_get_a_403_problem(api, user, url):
    assert_problem(api.get(url, headers=user.headers), HTTPStatus.FORBIDDEN)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2026-02-30"}, "from"),
        ({"to": "tomorrow"}, "to"),
        ({"from": "2026-11-02", "to": "2026-11-01"}, "from"),
        ({"from": "2025-01-01", "to": "2026-01-02"}, "to"),  # 367 days
        ({"group": "week"}, "group"),
    ],
    ids=["bad date", "bad to", "from after to", "more than 366 days", "bad group"],
)
@pytest.mark.parametrize("url", [URL, CSV_URL])
def test_bad_dates_and_groups_are_400_problems(api, staff, url, query, field):
    assert_field_error(api.get(url, params=query, headers=staff), field)


@pytest.mark.parametrize(
    "query",
    [
        {"to": "0001-01-01"},  # the default `from`, 29 days earlier, is no date
        {"from": "9999-12-01", "to": "9999-12-31"},  # the day after is no date
    ],
    ids=["first day", "last day"],
)
@pytest.mark.parametrize("url", [URL, CSV_URL])
def test_a_period_at_the_edge_of_the_calendar_is_not_a_500(api, staff, url, query):
    assert api.get(url, params=query, headers=staff).status_code == HTTPStatus.OK


def test_empty_parameters_mean_not_given(api, staff):
    """``?from=&to=&group=&page=`` (a form sent with nothing picked): the defaults."""
    query = {"from": "", "to": "", "group": "", "page": "", "page_size": ""}

    response = api.get(URL, params=query, headers=staff)

    assert response.status_code == HTTPStatus.OK


def test_an_unknown_report_is_the_same_404_problem_on_both_stacks(api, staff):
    body = assert_problem(
        api.get("/api/reports/nope/", headers=staff), HTTPStatus.NOT_FOUND
    )

    assert body["detail"] == "No such resource."


def test_a_report_is_a_drf_page(api, staff):
    response = api.get(URL, params={"page_size": "1"}, headers=staff)

    assert response.status_code == HTTPStatus.OK
    assert set(response.json()) == {"count", "next", "previous", "results"}


def test_the_csv_has_the_same_rows_as_the_json(api, staff):
    """sales.csv: a header line, then the JSON's rows, every one of them."""
    query = {**period(), "group": "category"}

    def both() -> tuple[list[list[str]], list[list[str]]]:
        response = api.get(CSV_URL, params=query, headers=staff)
        assert response.status_code == HTTPStatus.OK, response.text
        assert response.headers["content-type"].startswith("text/csv")
        table = list(csv.reader(io.StringIO(response.text)))
        rows = all_rows(api, staff, "category")
        as_text = [
            [r["key"], str(r["orders"]), str(r["units"]), r["revenue"]] for r in rows
        ]
        return table, [["key", "orders", "units", "revenue"], *as_text]

    # Equal at one moment: an event arriving between the two calls means "again".
    poll(both, lambda pair: pair[0] == pair[1], timeout=REPORT_DEADLINE)


def test_the_report_page_asks_anonymous_visitors_to_sign_in(api):
    """/reports/ is login-required: a redirect to a sign-in page that comes back.

    The monolith's is /accounts/login/; the reports service signs staff in itself
    (/reports/login/), as the storefront's session is the storefront's own.
    """
    response = api.get("/reports/")

    assert response.status_code == HTTPStatus.FOUND
    location = urlsplit(response.headers["location"])
    assert location.path.endswith("/login/")
    assert parse_qs(location.query)["next"] == ["/reports/"]


def test_the_api_schema_describes_the_reports(api):
    """/api/schema/ names both report operations (the gateway merges the service's)."""
    response = api.get("/api/schema/", params={"format": "json"})

    assert response.status_code == HTTPStatus.OK
    paths = response.json()["paths"]
    assert {URL, CSV_URL} <= paths.keys()
