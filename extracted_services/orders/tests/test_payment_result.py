"""The end of the saga: payments answers, the order becomes final, failures give back.

Messages arrive at least once, so every test of a decision also sends it twice.
Tasks run eagerly (test settings); the relay's ``send_task`` only records.
"""

from http import HTTPStatus

import pytest

# A worker imports its tasks as it starts (Celery's autodiscovery); here, this does.
import extracted_services.orders.tasks  # noqa: F401
from extracted_services.orders import celery_app
from extracted_services.orders.messages import PAYMENT_RESULT, STOCK_RELEASE
from extracted_services.orders.models import Order, OutboxMessage
from extracted_services.orders.services import order_payment_record, order_place

from .conftest import DECLINED_CARD, TEAPOT

pytestmark = pytest.mark.django_db


def _deliver(task_name: str, **kwargs) -> None:
    """Deliver a message to this service's worker, by name, as the broker would."""
    celery_app.tasks[task_name].delay(**kwargs).get()


@pytest.fixture
def pending_order(place_kwargs, catalog):
    """Two teapots reserved at catalog (3 left), the order waiting for payments."""
    return order_place(**place_kwargs).order


def test_an_approved_payment_marks_the_order_paid(pending_order, relay):
    """The payment's summary is copied onto the order; the stock stays taken."""
    relay()  # payments.charge is on its way

    _deliver(
        PAYMENT_RESULT,
        order_id=pending_order.pk,
        status="approved",
        card_last4="4242",
        failure_reason="",
    )

    order = Order.objects.get(pk=pending_order.pk)
    assert order.status == Order.Status.PAID
    assert order.payment == {
        "status": "approved",
        "card_last4": "4242",
        "failure_reason": "",
    }
    assert relay() == []  # nothing to give back


@pytest.mark.parametrize("reason", ["card_declined", "insufficient_funds"])
def test_a_declined_payment_fails_the_order_and_queues_the_release(
    pending_order, relay, settings, reason
):
    """orders.stock_release for the order's reference, on this service's queue."""
    settings.ORDERS_QUEUE = "orders-under-test"
    relay()

    _deliver(
        PAYMENT_RESULT,
        order_id=pending_order.pk,
        status="declined",
        card_last4="0002",
        failure_reason=reason,
    )

    order = Order.objects.get(pk=pending_order.pk)
    assert order.status == Order.Status.FAILED
    assert order.payment == {
        "status": "declined",
        "card_last4": "0002",
        "failure_reason": reason,
    }
    [release] = relay()
    assert release.task_name == STOCK_RELEASE
    assert release.queue == "orders-under-test"
    assert release.kwargs == {"order_ref": str(order.order_ref)}


def test_the_release_gives_the_stock_back_at_catalog(pending_order, catalog, relay):
    """The compensation's task calls DELETE /internal/reservations/<ref>/."""
    relay()  # payments.charge
    order_payment_record(
        order_id=pending_order.pk, status="declined", card_last4="0002"
    )
    [release] = relay()

    _deliver(release.task_name, **release.kwargs)

    delete = catalog.calls_to("DELETE")
    assert [call.path for call in delete] == [
        f"/internal/reservations/{pending_order.order_ref}/"
    ]
    assert catalog.stock(TEAPOT) == 5


def test_the_release_keeps_trying_until_catalog_answers(
    pending_order, catalog, monkeypatch
):
    """503s from catalog make the task retry (with backoff, on a real worker)."""
    catalog.failures = 4  # more than one task run's own HTTP retries
    # Eager tasks that propagate errors raise Retry instead of running again.
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", False)

    _deliver(STOCK_RELEASE, order_ref=str(pending_order.order_ref))

    assert len(catalog.calls_to("DELETE")) == 5
    assert catalog.stock(TEAPOT) == 5


def test_an_answer_delivered_twice_is_applied_once(pending_order, relay):
    """The second delivery of a decline queues no second release."""
    result = {
        "order_id": pending_order.pk,
        "status": "declined",
        "card_last4": "0002",
        "failure_reason": "card_declined",
    }

    _deliver(PAYMENT_RESULT, **result)
    _deliver(PAYMENT_RESULT, **result)

    assert Order.objects.get(pk=pending_order.pk).status == Order.Status.FAILED
    assert OutboxMessage.objects.filter(task_name=STOCK_RELEASE).count() == 1


def test_a_final_order_never_changes_again(pending_order):
    """A paid order stays paid, whatever arrives later."""
    order_payment_record(
        order_id=pending_order.pk, status="approved", card_last4="4242"
    )

    order = order_payment_record(
        order_id=pending_order.pk,
        status="declined",
        card_last4="0002",
        failure_reason="card_declined",
    )

    assert order.status == Order.Status.PAID
    assert order.payment["card_last4"] == "4242"
    assert not OutboxMessage.objects.filter(task_name=STOCK_RELEASE).exists()


def test_the_whole_saga_through_the_api(
    auth_api_client, order_body, catalog, relay, card_open
):
    """Pending at once; failed, with the stock back, once the messages have run."""
    order_body["card_number"] = DECLINED_CARD
    placed = auth_api_client.post("/api/orders/", order_body).json()
    assert (placed["status"], placed["payment"]) == ("pending", None)
    assert catalog.stock(TEAPOT) == 3

    [charge] = relay()
    # What payments would do with the card number it was sent, sealed for it.
    card_number = card_open(charge.kwargs["card_sealed"])
    assert card_number == DECLINED_CARD
    _deliver(
        PAYMENT_RESULT,
        order_id=charge.kwargs["order_id"],
        status="declined",
        card_last4=card_number[-4:],
        failure_reason="card_declined",
    )
    [release] = relay()
    _deliver(release.task_name, **release.kwargs)

    response = auth_api_client.get(f"/api/orders/{placed['id']}/")
    assert response.status_code == HTTPStatus.OK
    assert response.json()["status"] == "failed"
    assert response.json()["payment"] == {
        "status": "declined",
        "card_last4": "0002",
        "failure_reason": "card_declined",
    }
    assert catalog.stock(TEAPOT) == 5
