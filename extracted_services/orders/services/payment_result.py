"""The end of the saga: payments has answered, so the order becomes final.

In the monolith this was the second half of ``_order_pay``, inside the order's one
transaction. Here the answer arrives as a message, perhaps more than once (delivery
is at-least-once), so the first answer decides and a final order never changes.
"""

from django.conf import settings
from django.db import transaction

from extracted_services.chassis.outbox import outbox_add

from ..models import Order

RELEASE_TASK = "orders.stock_release"  # this service's own task (tasks.py)


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
    order.save()
    if not approved:
        # The compensation, saved with the decision so that it cannot be lost; the
        # relay sends it to our own worker, which calls catalog until it answers.
        outbox_add(
            task_name=RELEASE_TASK,
            queue=settings.ORDERS_QUEUE,
            payload={"order_ref": str(order.order_ref)},
        )
    return order
