"""The /reports/ page: staff only, a table and a server-drawn SVG chart."""

from http import HTTPStatus

import pytest

from extracted_services.reports import pages
from extracted_services.reports.pipeline import apply_event, parse_entry

from .conftest import order_event, token

NOVEMBER = "from=2026-11-01&to=2026-11-30"


@pytest.fixture
def sales(app):
    apply_event(parse_entry(order_event(order_id=1, lines=[(3, "books", 2, "19.99")])))


def test_anonymous_visitors_are_sent_to_sign_in(client):
    """Like Django's login_required: a redirect naming the page to come back to
    (encoded as Django encodes it)."""
    response = client.get("/reports/?group=day")

    assert response.status_code == HTTPStatus.FOUND
    assert (
        response.headers["Location"] == "/reports/login/?next=/reports/%3Fgroup%3Dday"
    )


def test_staff_see_the_figures_and_a_chart(client, staff, sales):
    response = client.get(f"/reports/?{NOVEMBER}&group=category", headers=staff)

    assert response.status_code == HTTPStatus.OK
    assert '<svg class="chart"' in response.text
    assert "<title>books: 39.98 EUR</title>" in response.text
    assert "<td>books</td><td>1</td><td>2</td><td>39.98</td>" in response.text
    assert "<script" not in response.text  # no JavaScript, no CDN


def test_customers_are_refused_with_a_403_page(client, customer):
    response = client.get("/reports/", headers=customer)

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Staff only" in response.text


def test_a_bad_period_is_shown_on_the_page(client, staff):
    response = client.get("/reports/?from=2026-11-02&to=2026-11-01", headers=staff)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "must be on or before" in response.text


def test_the_tokens_kept_in_the_session_sign_the_page_in(client, sales):
    """After the sign-in form, the session's access token is what lets staff in."""
    with client.session_transaction("/reports/") as session:
        session[pages.TOKENS] = {"access": token(is_staff=True), "refresh": "r"}

    response = client.get(f"/reports/?{NOVEMBER}")

    assert response.status_code == HTTPStatus.OK
    assert "<td>2026-11-22</td>" in response.text


def test_the_sign_in_form_refuses_a_post_without_its_csrf_token(client):
    response = client.post("/reports/login/", data={"username": "a", "password": "b"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert pages.FORM_EXPIRED in response.text


def test_signing_in_while_the_gateway_is_down_says_so(client):
    """The gateway (GATEWAY_URL, nothing answers in tests) is needed to sign in."""
    form = client.get("/reports/login/?next=/reports/")
    with client.session_transaction("/reports/") as session:
        csrf = session[pages.CSRF]
    assert f'value="{csrf}"' in form.text

    body = {"username": "a", "password": "b", "csrf": csrf, "next": "/reports/"}
    response = client.post("/reports/login/", data=body)

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert "gateway is not answering" in response.text


def test_signing_in_stores_the_gateways_tokens_and_goes_back(client, monkeypatch):
    tokens = {"access": token(is_staff=True), "refresh": "r"}
    monkeypatch.setattr(pages, "obtain_tokens", lambda **credentials: tokens)
    client.get("/reports/login/")
    with client.session_transaction("/reports/") as session:
        csrf = session[pages.CSRF]

    body = {"username": "a", "password": "b", "csrf": csrf, "next": "https://evil/"}
    response = client.post("/reports/login/", data=body)

    assert response.headers["Location"] == "/reports/"  # never an open redirect
    with client.session_transaction("/reports/") as session:
        assert session[pages.TOKENS] == tokens


def test_the_form_sent_with_no_dates_picked_shows_the_last_30_days(client, staff):
    """A browser sends ``?from=&to=&group=day`` for empty date inputs: the defaults,
    not "Enter a date", as on the monolith's page."""
    response = client.get("/reports/?from=&to=&group=day", headers=staff)

    assert response.status_code == HTTPStatus.OK
    assert "Paid orders from" in response.text


def test_a_period_at_the_edge_of_the_calendar_is_a_page_not_a_500(client, staff):
    response = client.get("/reports/?to=0001-01-01", headers=staff)

    assert response.status_code == HTTPStatus.OK


def test_the_csv_link_downloads_with_the_pages_own_sign_in(client, sales):
    """The page's link works in the browser that shows it: the session, no token."""
    with client.session_transaction("/reports/") as session:
        session[pages.TOKENS] = {"access": token(is_staff=True), "refresh": "r"}
    page = client.get(f"/reports/?{NOVEMBER}&group=category")
    assert f'href="/reports/sales.csv?{NOVEMBER.replace("&", "&amp;")}' in page.text

    response = client.get(f"/reports/sales.csv?{NOVEMBER}&group=category")

    assert response.status_code == HTTPStatus.OK
    assert response.mimetype == "text/csv"
    assert response.text.splitlines() == ["key,orders,units,revenue", "books,1,2,39.98"]


def test_the_csv_link_asks_others_what_the_page_asks(client, customer, staff):
    """Anonymous: sign in (and come back to the CSV); customer: 403; bad period: the
    page with its errors."""
    anonymous = client.get("/reports/sales.csv?group=day")
    refused = client.get("/reports/sales.csv", headers=customer)
    invalid = client.get("/reports/sales.csv?group=week", headers=staff)

    assert anonymous.headers["Location"].startswith(
        "/reports/login/?next=/reports/sales.csv"
    )
    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert invalid.status_code == HTTPStatus.BAD_REQUEST
    assert "Choose one of" in invalid.text


def test_the_sign_in_page_says_why_shop_users_sign_in_again(client):
    """Two services, two sessions: the page says so, so nobody thinks it is a bug."""
    response = client.get("/reports/login/")

    assert "Signed in to the shop already? Sign in here once more" in response.text
