"""Background work for orders: thin tasks that load by id and call a service."""

from celery import shared_task

from .models import Order


@shared_task(
    name="orders.order_confirmation_send",
    # The mail server is down or slow: try again, waiting longer each time, but never
    # longer than the broker's visibility timeout (CELERY_VISIBILITY_TIMEOUT, 30 s),
    # past which a waiting retry is handed to a second worker.
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=20,
    max_retries=5,
)
def order_confirmation_send(order_id: int) -> None:
    # Imported here, not at the top: the services queue this task, and imports
    # both ways at module level would be circular.
    from .services import order_confirmation_email_send

    order = Order.objects.select_related("user").get(pk=order_id)
    order_confirmation_email_send(order=order)
