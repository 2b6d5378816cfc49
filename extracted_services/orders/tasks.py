"""The orders worker's tasks: thin, idempotent, known to other services by name."""

from celery import shared_task
from django.db import OperationalError

from extracted_services.chassis.problems import ServiceUnavailable

from .clients import catalog


@shared_task(
    name="orders.payment_result",
    # The database was busy or away: try again, waiting longer each time.
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=8,
)
def payment_result(
    *, order_id: int, status: str, card_last4: str, failure_reason: str = ""
) -> None:
    # Imported here, not at the top: the services queue stock_release, and imports
    # both ways at module level would be circular.
    from .services import order_payment_record

    order_payment_record(
        order_id=order_id,
        status=status,
        card_last4=card_last4,
        failure_reason=failure_reason,
    )


@shared_task(
    name="orders.stock_release",
    # Catalog is down: keep trying for hours, backing off to ten minutes apart at
    # most (well inside the broker's visibility timeout of an hour).
    autoretry_for=(ServiceUnavailable,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=50,
)
def stock_release(*, order_ref: str) -> None:
    catalog.stock_release(order_ref=order_ref)
