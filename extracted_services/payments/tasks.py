"""The payments worker's task: charge a card when orders asks, by name."""

from decimal import Decimal

from celery import shared_task
from django.conf import settings
from django.db import OperationalError

from extracted_services.chassis.card_sealing import card_unseal

from . import messages
from .services import payment_charge


@shared_task(
    name=messages.PAYMENTS_CHARGE,
    # The database was busy or away: try again, waiting longer each time, but never
    # longer than the broker's visibility timeout (CELERY_VISIBILITY_TIMEOUT, 30 s),
    # past which a waiting retry is handed to a second worker.
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    retry_backoff_max=20,
    max_retries=8,
)
def charge(*, order_id: int, amount: str, currency: str, card_sealed: str) -> None:
    # The number is opened here, in this process's memory, for this charge only:
    # the message (and any retry of it) carries the sealed blob, and the payment
    # keeps the last four digits (chassis/card_sealing.py).
    payment_charge(
        order_id=order_id,
        amount=Decimal(amount),
        currency=currency,
        card_number=card_unseal(
            card_sealed, private_key_pem=settings.PAYMENTS_CARD_PRIVATE_KEY
        ),
    )
