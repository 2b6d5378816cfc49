"""The orders service's admin: orders with lines and payment, keys, the outbox."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from extracted_services.orders.models import IdempotencyKey, Order, OutboxMessage

from .factories import OrderFactory

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
    assert paid_order.username in html


def test_a_declined_payment_says_why(admin_client):
    """The failure reason is shown in words."""
    order = OrderFactory(
        status=Order.Status.FAILED,
        payment_status=Order.PaymentStatus.DECLINED,
        card_last4="9995",
        failure_reason=Order.FailureReason.INSUFFICIENT_FUNDS,
    )

    response = admin_client.get(reverse("admin:orders_order_change", args=[order.pk]))

    assert "Declined, card ending in 9995 (Insufficient funds)" in (
        response.content.decode()
    )


def test_staff_filter_orders_by_status_and_find_them_by_username(
    admin_client, paid_order
):
    """The list filters by status and searches usernames."""
    url = reverse("admin:orders_order_changelist")

    paid = admin_client.get(url, {"status__exact": "paid"})
    failed = admin_client.get(url, {"status__exact": "failed"})
    found = admin_client.get(url, {"q": paid_order.username})

    assert paid.context["cl"].result_count == 1
    assert failed.context["cl"].result_count == 0
    assert found.context["cl"].result_count == 1


def test_staff_can_look_up_idempotency_keys(admin_client, paid_order):
    """Keys are listed with the order they placed."""
    IdempotencyKey.objects.create(
        user_id=paid_order.user_id, key="key-1", request_hash="0" * 64, order=paid_order
    )

    response = admin_client.get(reverse("admin:orders_idempotencykey_changelist"))

    assert response.status_code == HTTPStatus.OK
    assert "key-1" in response.content.decode()


def test_the_outbox_is_shown_without_the_card_number(
    admin_client, auth_api_client, order_body, catalog, card_open
):
    """A waiting charge is listed; its card number is sealed, nobody's business."""
    auth_api_client.post("/api/orders/", order_body)
    message = OutboxMessage.objects.get(task_name="payments.charge")

    listing = admin_client.get(reverse("admin:orders_outboxmessage_changelist"))
    detail = admin_client.get(
        reverse("admin:orders_outboxmessage_change", args=[message.pk])
    )

    assert "payments.charge" in listing.content.decode()
    assert detail.status_code == HTTPStatus.OK
    for response in (listing, detail):
        assert "4242424242424242" not in response.content.decode()
