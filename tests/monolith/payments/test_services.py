"""payment_charge: the simulated processor, decided by the test cards."""

from decimal import Decimal

import pytest

from monolith.payments.models import Payment
from monolith.payments.services import (
    APPROVED_CARD,
    CARD_DECLINED,
    DECLINED_CARD,
    INSUFFICIENT_FUNDS,
    INSUFFICIENT_FUNDS_CARD,
    INVALID_NUMBER,
    payment_charge,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("card_number", "status", "failure_reason"),
    [
        (APPROVED_CARD, Payment.Status.APPROVED, ""),
        ("5555 5555 5555 4444", Payment.Status.APPROVED, ""),  # any valid number
        (DECLINED_CARD, Payment.Status.DECLINED, CARD_DECLINED),
        (INSUFFICIENT_FUNDS_CARD, Payment.Status.DECLINED, INSUFFICIENT_FUNDS),
        ("4242424242424241", Payment.Status.DECLINED, INVALID_NUMBER),
    ],
)
def test_the_card_number_decides_the_outcome(
    order, card_number, status, failure_reason
):
    """The test cards of CONTRACT.md, a valid other card, and a mistyped one."""
    payment = payment_charge(order=order, card_number=card_number)

    assert (payment.status, payment.failure_reason) == (status, failure_reason)


def test_the_failure_reasons_are_the_contracts_strings():
    """The API shows these strings: they are part of the contract."""
    assert CARD_DECLINED == "card_declined"
    assert INSUFFICIENT_FUNDS == "insufficient_funds"


def test_a_charge_records_the_amount_and_only_the_last_four_digits(order):
    """The full card number is never stored."""
    payment = payment_charge(order=order, card_number="4242-4242-4242-4242")

    payment.refresh_from_db()
    assert payment.order == order
    assert (payment.amount, payment.currency) == (Decimal("25.00"), "EUR")
    assert payment.card_last4 == "4242"
    stored = [str(value) for value in Payment.objects.values_list().get()]
    assert not any(APPROVED_CARD in value for value in stored)
