"""The orders worker's tasks: thin, idempotent, known by name (``messages.py``)."""

from celery import shared_task
from django.db import OperationalError

from extracted_services.chassis.problems import ServiceUnavailable

from . import messages
from .clients import catalog
from .saga import stock_release_done
from .services import order_payment_record


@shared_task(
    name=messages.PAYMENT_RESULT,
    # The database was busy or away: try again, waiting longer each time, but never
    # longer than the broker's visibility timeout (see stock_release below).
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    retry_backoff_max=20,
    max_retries=8,
)
def payment_result(
    *, order_id: int, status: str, card_last4: str, failure_reason: str = ""
) -> None:
    order_payment_record(
        order_id=order_id,
        status=status,
        card_last4=card_last4,
        failure_reason=failure_reason,
    )


@shared_task(
    name=messages.STOCK_RELEASE,
    # Catalog is down: keep trying for hours, backing off to 20 s apart at most. A
    # retry waits in the broker, and one that waits longer than its visibility
    # timeout (CELERY_VISIBILITY_TIMEOUT, 30 s) is handed to a second worker.
    autoretry_for=(ServiceUnavailable,),
    retry_backoff=True,
    retry_backoff_max=20,
    max_retries=1000,
)
def stock_release(*, order_ref: str) -> None:
    catalog.stock_release(order_ref=order_ref)
    stock_release_done(order_ref=order_ref)  # confirmed: recovery need not resend
