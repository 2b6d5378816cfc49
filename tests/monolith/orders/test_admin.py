"""The orders admin: orders with their lines and payment, and idempotency keys."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from monolith.orders.models import IdempotencyKey

pytestmark = pytest.mark.django_db


def test_staff_see_an_order_with_its_lines_and_payment(admin_client, paid_order):
    """The change page shows the lines inline and the payment in words."""
    response = admin_client.get(
        reverse("admin:orders_order_change", args=[paid_order.pk])
    )

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "Approved, card ending in 4242" in html
    assert paid_order.lines.get().name in html


def test_staff_filter_orders_by_status(admin_client, paid_order):
    """The list filters by status."""
    url = reverse("admin:orders_order_changelist")

    paid = admin_client.get(url, {"status__exact": "paid"})
    failed = admin_client.get(url, {"status__exact": "failed"})

    assert paid.context["cl"].result_count == 1
    assert failed.context["cl"].result_count == 0


def test_staff_can_look_up_idempotency_keys(admin_client, paid_order):
    """Keys are listed with the order they placed."""
    IdempotencyKey.objects.create(
        user=paid_order.user, key="key-1", request_hash="0" * 64, order=paid_order
    )

    response = admin_client.get(reverse("admin:orders_idempotencykey_changelist"))

    assert response.status_code == HTTPStatus.OK
    assert "key-1" in response.content.decode()
