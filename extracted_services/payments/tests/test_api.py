"""The staff-only payments API: 401 anonymous, 403 customers, pages for staff."""

from decimal import Decimal
from http import HTTPStatus

import pytest

from extracted_services.payments.services import APPROVED_CARD, payment_charge

pytestmark = pytest.mark.django_db


@pytest.fixture
def payment():
    paid, _ = payment_charge(
        order_id=3, amount=Decimal("9.50"), currency="EUR", card_number=APPROVED_CARD
    )
    return paid


def test_anonymous_callers_are_401(anonymous_client):
    """No token, no payments."""
    response = anonymous_client.get("/api/payments/")

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["Content-Type"] == "application/problem+json"


def test_customers_are_403(customer_client):
    """A customer's token is valid, but payments are for staff."""
    assert customer_client.get("/api/payments/").status_code == HTTPStatus.FORBIDDEN


def test_staff_see_a_page_of_payments(staff_client, payment):
    """Staff browse payments, newest first, with only the card's last four digits."""
    response = staff_client.get("/api/payments/")

    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert body["count"] == 1
    assert body["results"][0]["order_id"] == 3
    assert body["results"][0]["card_last4"] == "4242"


def test_an_unknown_payment_is_a_404_problem(staff_client):
    """Payment.DoesNotExist becomes a 404 problem."""
    response = staff_client.get("/api/payments/999/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json()["status"] == HTTPStatus.NOT_FOUND
