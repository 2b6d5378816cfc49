"""The payments worker's task: charge a card when orders asks, by name."""

from decimal import Decimal

from celery import shared_task
from django.db import OperationalError

from . import messages
from .services import payment_charge


@shared_task(
    name=messages.PAYMENTS_CHARGE,
    # The database was busy or away: try again, waiting longer each time.
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=8,
)
def charge(*, order_id: int, amount: str, currency: str, card_number: str) -> None:
    payment_charge(
        order_id=order_id,
        amount=Decimal(amount),
        currency=currency,
        card_number=card_number,
    )
