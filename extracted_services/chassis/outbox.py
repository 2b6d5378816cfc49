"""The transactional outbox: a message is saved with the change that causes it.

A service cannot commit its database and publish to Redis atomically: one of the two
can fail after the other has happened. So the message is written as a row, in the same
transaction as the business change, and a relay publishes committed rows afterwards.
A crash between publishing and marking the row only publishes it again, which is why
every consumer is idempotent (at-least-once delivery).

A row is one of two kinds: a command (a Celery task sent by name to one service's
queue, ``tasks.py``) or an event (an entry on a Redis stream that every subscriber
reads, ``events.py``). docs/api/asyncapi.yaml names them all.
"""

import json
import logging
import uuid

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

from .events import stream_add
from .request_id import current_request_id
from .tasks import send_task

logger = logging.getLogger(__name__)


class OutboxMessage(models.Model):
    """A message to send once the transaction that wrote it has committed."""

    class Kind(models.TextChoices):
        TASK = "task", "Command (a Celery task, to one queue)"
        EVENT = "event", "Event (a Redis stream entry, to every subscriber)"

    kind = models.CharField(max_length=5, choices=Kind.choices, default=Kind.TASK)
    # The message's name: a task's name, or an event's type ("order.paid").
    task_name = models.CharField(max_length=100)
    # Where it goes: a task's queue, or an event's stream.
    queue = models.CharField(max_length=100)
    # No secret in plain text, not even for a moment: a card number comes here
    # already sealed for payments (chassis/card_sealing.py), and a deleted value
    # would still linger in the database file's free pages and its WAL.
    payload = models.JSONField()
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


def outbox_add(*, task_name: str, queue: str, payload: dict) -> OutboxMessage:
    """Record a message; call it inside the transaction of the change it announces."""
    return outbox_model()._default_manager.create(
        task_name=task_name,
        queue=queue,
        payload=payload,
        request_id=current_request_id.get(),
    )


def outbox_event_add(*, stream: str, event_type: str, data: dict) -> OutboxMessage:
    """Record an event for ``stream``; call it in the transaction of what happened.

    The event's ``id`` is made here, once, so that a relay that publishes the row
    twice publishes the same id twice, and a subscriber can drop the repeat.
    """
    event = {
        "id": str(uuid.uuid4()),
        "type": event_type,
        "occurred_at": timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
        **data,
    }
    return outbox_model()._default_manager.create(
        kind=OutboxMessage.Kind.EVENT,
        task_name=event_type,
        queue=stream,
        payload=event,
        request_id=current_request_id.get(),
    )


def outbox_relay_once(*, batch: int = 100) -> int:
    """Publish up to ``batch`` waiting messages, oldest first; return how many."""
    model = outbox_model()
    waiting = list(
        model._default_manager.filter(published_at__isnull=True).order_by("id")[:batch]
    )
    for message in waiting:
        # The message's own request id, so the consumer's logs carry the original one.
        token = current_request_id.set(message.request_id)
        try:
            _publish(message)
            # A crash before this line sends the message again on the next run.
            model._default_manager.filter(pk=message.pk).update(
                published_at=timezone.now()
            )
            logger.info("published %s #%s", message.task_name, message.pk)
        finally:
            current_request_id.reset(token)
    return len(waiting)


def _publish(message: OutboxMessage) -> None:
    if message.kind == OutboxMessage.Kind.EVENT:
        # The stream entry's fields: the type and id, to route and drop repeats
        # without parsing; the whole event as JSON; the request that caused it.
        stream_add(
            message.queue,
            fields={
                "type": message.task_name,
                "id": message.payload["id"],
                "payload": json.dumps(message.payload),
                "request_id": message.request_id,
            },
        )
    else:
        send_task(
            message.task_name,
            kwargs=message.payload,
            queue=message.queue,
        )
