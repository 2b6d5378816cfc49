"""The payments admin shows payments and never changes them."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from tests.monolith.orders.factories import PaymentFactory

pytestmark = pytest.mark.django_db


def test_staff_can_list_and_open_payments_but_not_change_them(admin_client):
    """The change page is read-only: no Save button, and a POST is refused."""
    payment = PaymentFactory()
    change_url = reverse("admin:payments_payment_change", args=[payment.pk])

    listing = admin_client.get(reverse("admin:payments_payment_changelist"))
    page = admin_client.get(change_url)
    post = admin_client.post(change_url, {"status": "declined"})

    assert listing.status_code == HTTPStatus.OK
    assert page.status_code == HTTPStatus.OK
    assert b'name="_save"' not in page.content
    assert post.status_code == HTTPStatus.FORBIDDEN
    payment.refresh_from_db()
    assert payment.status == "approved"


def test_payments_cannot_be_added_by_hand(admin_client):
    """A payment only ever comes from a charge."""
    response = admin_client.get(reverse("admin:payments_payment_add"))

    assert response.status_code == HTTPStatus.FORBIDDEN
