"""The emails that orders send: the confirmation after an order is placed."""

import logging

from django.core.mail import send_mail
from django.template.loader import render_to_string

from ..models import Order

CONFIRMATION_SUBJECT = "Your order #{order_id}: {status}"

logger = logging.getLogger(__name__)


def order_confirmation_email_send(*, order: Order) -> bool:
    """Email the customer a plain-text summary; False when they have no address."""
    if not order.user.email:
        logger.info("order %s: no email address, no confirmation sent", order.pk)
        return False
    send_mail(
        subject=CONFIRMATION_SUBJECT.format(
            order_id=order.pk, status=order.get_status_display().lower()
        ),
        message=render_to_string("orders/email/confirmation.txt", {"order": order}),
        from_email=None,  # settings.DEFAULT_FROM_EMAIL
        recipient_list=[order.user.email],
    )
    logger.info("order %s: confirmation sent", order.pk)
    return True
