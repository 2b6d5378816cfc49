"""The transactional outbox: a message is saved with the change that causes it.

A service cannot commit its database and publish to Redis atomically: one of the two
can fail after the other has happened. So the message is written as a row, in the same
transaction as the business change, and a relay publishes committed rows afterwards.
A crash between publishing and marking the row only publishes it again, which is why
every consumer is idempotent (at-least-once delivery).
"""

import logging

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

from .request_id import current_request_id
from .tasks import send_task

logger = logging.getLogger(__name__)


class OutboxMessage(models.Model):
    """A Celery task to send once the transaction that wrote it has committed."""

    task_name = models.CharField(max_length=100)
    queue = models.CharField(max_length=100)
    payload = models.JSONField()
    # Data that must not stay at rest (a card number): cleared once it is sent.
    sensitive = models.JSONField(null=True, blank=True)
    request_id = models.CharField(max_length=128, default="-")
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self):
        state = "sent" if self.published_at else "waiting"
        return f"{self.task_name} #{self.pk} ({state})"


def outbox_model() -> type[OutboxMessage]:
    """This service's concrete outbox model, named by ``settings.OUTBOX_MODEL``."""
    return apps.get_model(settings.OUTBOX_MODEL)


def outbox_add(
    *, task_name: str, queue: str, payload: dict, sensitive: dict | None = None
) -> OutboxMessage:
    """Record a message; call it inside the transaction of the change it announces."""
    return outbox_model().objects.create(
        task_name=task_name,
        queue=queue,
        payload=payload,
        sensitive=sensitive,
        request_id=current_request_id.get(),
    )


def outbox_relay_once(*, batch: int = 100) -> int:
    """Publish up to ``batch`` waiting messages, oldest first; return how many."""
    model = outbox_model()
    waiting = list(
        model.objects.filter(published_at__isnull=True).order_by("id")[:batch]
    )
    for message in waiting:
        # The message's own request id, so the consumer's logs carry the original one.
        token = current_request_id.set(message.request_id)
        try:
            send_task(
                message.task_name,
                kwargs={**message.payload, **(message.sensitive or {})},
                queue=message.queue,
            )
            # A crash before this line sends the message again on the next run.
            model.objects.filter(pk=message.pk).update(
                published_at=timezone.now(), sensitive=None
            )
            logger.info("published %s #%s", message.task_name, message.pk)
        finally:
            current_request_id.reset(token)
    return len(waiting)
