"""The simulated card processor, as a service: the card number decides the outcome.

Test cards (the contract): 4242424242424242 is approved, 4000000000000002 is
declined (``card_declined``), 4000000000009995 is declined (``insufficient_funds``);
any other number is approved (orders has already checked it with Luhn).
"""

from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.views.decorators.debug import sensitive_variables

from extracted_services.chassis.outbox import outbox_add

from . import messages
from .models import Payment

APPROVED_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000002"
INSUFFICIENT_FUNDS_CARD = "4000000000009995"

_DECLINED_CARDS = {
    DECLINED_CARD: Payment.FailureReason.CARD_DECLINED,
    INSUFFICIENT_FUNDS_CARD: Payment.FailureReason.INSUFFICIENT_FUNDS,
}


@sensitive_variables("card_number")
def payment_charge(
    *, order_id: int, amount: Decimal, currency: str, card_number: str
) -> tuple[Payment, bool]:
    """Charge the card for an order, once; return the payment and whether it is new.

    The payment and the message that tells orders about it commit together. Asked
    again for the same order (a redelivery, or orders asking again because no answer
    came: a broker that lost its data), it charges nothing, since the unique
    constraint refuses a second payment, and publishes the first payment's result
    again: the first message may be the one that was lost.
    """
    failure_reason = _DECLINED_CARDS.get(card_number, "")
    status = Payment.Status.DECLINED if failure_reason else Payment.Status.APPROVED
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                order_id=order_id,
                amount=amount,
                currency=currency,
                status=status,
                card_last4=card_number[-4:],  # the full number is never stored
                failure_reason=failure_reason,
            )
            _payment_result_publish(payment)
    except IntegrityError:
        # Outside the failed block the database can be read again.
        payment = Payment.objects.get(order_id=order_id)
        with transaction.atomic():
            _payment_result_publish(payment)
        return payment, False
    return payment, True


def _payment_result_publish(payment: Payment) -> None:
    """Tell orders how the charge went: an outbox row, sent after the commit."""
    outbox_add(
        task_name=messages.PAYMENT_RESULT,
        queue=settings.ORDERS_QUEUE,
        payload={
            "order_id": payment.order_id,
            "status": payment.status,
            "card_last4": payment.card_last4,
            "failure_reason": payment.failure_reason,
        },
    )
