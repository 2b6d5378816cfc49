"""The /reports/ page: login required, staff only, a table and an SVG chart."""

from http import HTTPStatus

import pytest

from .conftest import NOVEMBER

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/reports/")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/accounts/login/?next=/reports/"


def test_customers_are_refused(client, user):
    client.force_login(user)

    assert client.get("/reports/").status_code == HTTPStatus.FORBIDDEN


def test_a_customer_is_told_the_page_is_for_staff_in_the_shops_layout(client, user):
    """Not Django's bare "403 Forbidden": the shop's page, saying what to do."""
    client.force_login(user)

    html = client.get("/reports/").content.decode()

    assert "Staff only" in html
    assert "sign in" in html
    assert 'data-testid="request-id"' in html  # the shop's footer: its layout


def test_staff_see_the_figures_and_a_chart(client, staff_user, sales):
    client.force_login(staff_user)

    response = client.get("/reports/", {**NOVEMBER, "group": "category"})

    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert '<svg class="chart"' in html
    assert "<title>books: 59.97 EUR</title>" in html
    assert "<td>toys</td><td>2</td><td>5</td><td>12.50</td>" in html
    assert "<script" not in html


def test_a_bad_period_is_shown_on_the_page(client, staff_user):
    client.force_login(staff_user)

    response = client.get("/reports/", {"from": "2026-11-02", "to": "2026-11-01"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "must be on or before" in response.content.decode()
