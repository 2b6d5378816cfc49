"""The simulated card processor: the card number decides the outcome.

Test cards (CONTRACT.md): 4242424242424242 is approved, 4000000000000002 is declined
(``card_declined``), 4000000000009995 is declined (``insufficient_funds``); any other
number that passes the Luhn check is approved.
"""

from django.views.decorators.debug import sensitive_variables

from .cards import luhn_valid, normalize
from .models import Payment

APPROVED_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000002"
INSUFFICIENT_FUNDS_CARD = "4000000000009995"

# Failure reasons, as stored in Payment.failure_reason and shown by the API.
CARD_DECLINED = Payment.FailureReason.CARD_DECLINED
INSUFFICIENT_FUNDS = Payment.FailureReason.INSUFFICIENT_FUNDS
INVALID_NUMBER = Payment.FailureReason.INVALID_NUMBER

_DECLINED_CARDS = {
    DECLINED_CARD: CARD_DECLINED,
    INSUFFICIENT_FUNDS_CARD: INSUFFICIENT_FUNDS,
}


@sensitive_variables("card_number", "number")
def payment_charge(*, order, card_number: str) -> Payment:
    """Charge ``order.total`` to the card and record the outcome.

    A declined card is not an exception: it is a Payment with a failure reason.
    Only the last four digits are kept; the full number never reaches the database.
    """
    number = normalize(card_number)
    if luhn_valid(number):
        failure_reason = _DECLINED_CARDS.get(number, "")
    else:
        # Callers check the number first; a real processor would refuse it anyway.
        failure_reason = INVALID_NUMBER
    return Payment.objects.create(
        order=order,
        amount=order.total,
        currency=order.currency,
        status=Payment.Status.DECLINED if failure_reason else Payment.Status.APPROVED,
        card_last4=number[-4:],
        failure_reason=failure_reason,
    )
