"""The confirmation email: queued after the commit, sent by a Celery task."""

import logging

import pytest
from django.core import mail
from kombu.exceptions import OperationalError

from monolith.catalog.services import OutOfStock
from monolith.orders.services import order_confirmation_email_send, order_place
from monolith.orders.tasks import order_confirmation_send
from monolith.payments.services import DECLINED_CARD
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_placed_order_is_confirmed_by_email_after_the_commit(
    place_kwargs, django_capture_on_commit_callbacks
):
    """One plain-text email to the customer, with the lines, total and address."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        order = order_place(**place_kwargs).order
        assert mail.outbox == []  # nothing leaves before the commit

    assert len(callbacks) == 1
    [email] = mail.outbox
    assert email.to == [place_kwargs["user"].email]
    assert email.subject == f"Your order #{order.pk}: paid"
    assert "2 x Teapot at 12.50 = 25.00 EUR" in email.body
    assert "Total: 25.00 EUR" in email.body
    assert "12 St James's Square" in email.body  # plain text: no &#x27; escapes


def test_a_failed_order_says_the_payment_failed(
    place_kwargs, django_capture_on_commit_callbacks
):
    """The customer learns that nothing will be shipped."""
    place_kwargs["card_number"] = DECLINED_CARD

    with django_capture_on_commit_callbacks(execute=True):
        order = order_place(**place_kwargs).order

    [email] = mail.outbox
    assert email.subject == f"Your order #{order.pk}: failed"
    assert "payment for your order failed" in email.body


def test_a_broker_that_is_down_loses_the_email_not_the_order(
    place_kwargs, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    """The order has committed: queuing its email fails, loudly, and nothing else."""

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379.")

    monkeypatch.setattr(order_confirmation_send, "delay", broker_down)

    with (
        caplog.at_level(logging.ERROR),
        django_capture_on_commit_callbacks(execute=True),
    ):
        placement = order_place(**place_kwargs)

    assert placement.created
    assert placement.order.status == "paid"
    assert mail.outbox == []
    assert "on_commit" in caplog.text  # Django's log line for a robust callback


def test_no_email_when_the_order_is_not_placed(
    place_kwargs, stocked_product, django_capture_on_commit_callbacks
):
    """A rolled-back order queues nothing."""
    place_kwargs["items"] = [(stocked_product.pk, 99)]

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(OutOfStock),
    ):
        order_place(**place_kwargs)

    assert callbacks == []
    assert mail.outbox == []


def test_a_replay_sends_no_second_email(
    place_kwargs, django_capture_on_commit_callbacks
):
    """Only the request that placed the order confirms it."""
    place_kwargs["idempotency_key"] = "checkout-42"

    with django_capture_on_commit_callbacks(execute=True):
        order_place(**place_kwargs)
        order_place(**place_kwargs)

    assert len(mail.outbox) == 1


def test_a_customer_without_an_email_address_gets_none(place_kwargs, paid_order):
    """No address, no email, and no error either."""
    paid_order.user = UserFactory(email="")
    paid_order.save()

    sent = order_confirmation_email_send(order=paid_order)

    assert sent is False
    assert mail.outbox == []


def test_the_task_loads_the_order_by_id_and_sends(paid_order):
    """The task is thin: an id in, the service called."""
    order_confirmation_send.delay(paid_order.pk)

    [email] = mail.outbox
    assert email.to == [paid_order.user.email]
