"""The end of the saga: payments has answered, so the order becomes final.

In the monolith this was the second half of ``_payment_request``, inside the order's
one transaction. Here the answer arrives as a message, perhaps more than once
(delivery is at-least-once), so the first answer decides and a final order never
changes. What was decided is published as an event (``saga.py``, PAYMENT_RECORD).
"""

from django.conf import settings
from django.db import transaction

from extracted_services.chassis.outbox import outbox_event_add

from .. import messages
from ..models import Order
from ..saga import stock_release_queue


@transaction.atomic
def order_payment_record(
    *, order_id: int, status: str, card_last4: str, failure_reason: str = ""
) -> Order:
    """Mark the order paid, or failed and ask catalog for its stock back; once."""
    # Locked (on PostgreSQL; SQLite's immediate transaction locks the whole file),
    # so two deliveries of one answer cannot both see the order pending.
    order = Order.objects.select_for_update().get(pk=order_id)
    if order.is_final:
        return order  # a repeated message: the first one has decided already
    approved = status == Order.PaymentStatus.APPROVED
    order.status = Order.Status.PAID if approved else Order.Status.FAILED
    order.payment_status = status
    order.card_last4 = card_last4
    order.failure_reason = failure_reason
    order.card_sealed = ""  # never asked for again: no reason to keep it, even sealed
    order.save()
    if not approved:
        # The compensation, saved with the decision so that it cannot be lost; the
        # relay sends it to our own worker, which calls catalog until it answers.
        stock_release_queue(order_ref=order.order_ref)
    # The event too: published if and only if this change commits.
    outbox_event_add(
        stream=settings.ORDER_EVENTS_STREAM,
        event_type=messages.ORDER_PAID if approved else messages.ORDER_FAILED,
        data=_event_data(order),
    )
    return order


def _event_data(order: Order) -> dict:
    """The order as subscribers see it: ids, a snapshot of lines, money as text."""
    return {
        "order_id": order.pk,
        "user_id": order.user_id,
        "lines": [
            {
                "product_id": line.product_id,
                "category": line.category,
                "quantity": line.quantity,
                "unit_price": str(line.unit_price),
            }
            for line in order.lines.all()
        ],
        "total": str(order.total),
        "currency": order.currency,
    }
