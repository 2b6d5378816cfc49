"""The transactional outbox: a message is saved with the change that causes it.

A service cannot commit its database and publish to Redis atomically: one of the two
can fail after the other has happened. So the message is written as a row, in the same
transaction as the business change, and a relay publishes committed rows afterwards.
A crash between publishing and marking the row only publishes it again, which is why
every consumer is idempotent (at-least-once delivery).

A row is one of two kinds: a command (a Celery task sent by name to one service's
queue, ``tasks.py``) or an event (an entry on a Redis stream that every subscriber
reads, ``events.py``). docs/api/asyncapi.yaml names them all.

A row that cannot be sent (a payload the broker refuses, a bug) must not hold back
every newer one: the relay notes the failure on the row, tries it again later (each
time twice as late) and steps past it. After ``OUTBOX_MAX_ATTEMPTS`` failures the row
is dead-lettered (``dead_at``): never retried on its own, listed in the admin, where
an action sends it again. A broker or database that is down is not the row's fault:
that error stops the batch, and the relay keeps trying without counting it.

Two relays at once (a second replica, a deploy that overlaps the old one) must not
both send a row. Each relay **claims** a row before sending it, with a lease: one
conditional UPDATE that moves ``next_attempt_at`` ``OUTBOX_LEASE_SECONDS`` ahead only
if the row is still due. The database runs one such UPDATE at a time per row, so
exactly one relay sees "1 row updated" and sends; the other sees 0 and moves on.
A relay that dies holding a lease holds it only until it runs out: then the row is
due again, and another relay sends it. The same statement works on SQLite and on
PostgreSQL. (``select_for_update(skip_locked=True)`` would also stop a second relay,
but only on PostgreSQL, and only while a transaction stays open across the send: a
network call inside a database transaction, which this project never makes.)
A lease shorter than one send would let a second relay send the row too: still at
least once, never lost, which consumers already accept.

Waiting for the relay's next poll costs every message up to one interval, and a saga
passes through two outboxes. So the process that wrote a row also sends it itself,
right after the commit (``transaction.on_commit``, ``OUTBOX_PUBLISH_ON_COMMIT``),
claiming it as a relay would. If that send fails (the broker is down, the process dies
between the commit and the send), the row is still there, unsent, and the relay sends
it on a later poll: the relay becomes the sweeper for what the fast path missed, and
nothing is lost either way. The order is not strictly the commit order any more (the
fast path of a later row can beat the relay's retry of an earlier one), which is one
more reason consumers never rely on it.
"""

import json
import logging
import uuid
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError
from opentelemetry.trace import SpanKind
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .events import stream_add
from .faults import crash_point
from .request_id import current_request_id
from .tasks import send_task
from .tracing import continue_trace, trace_carrier

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10  # failures before a row is dead-lettered (OUTBOX_MAX_ATTEMPTS)
FIRST_RETRY = timedelta(seconds=1)  # after the first failure; doubles each time
LONGEST_RETRY = timedelta(minutes=5)
LEASE_SECONDS = 30  # a claimed row's lease (OUTBOX_LEASE_SECONDS): one send, and more
# The broker (or its connection) is down: every row would fail alike, none is to blame.
BROKER_DOWN = (OSError, BrokerError, RedisConnectionError, RedisTimeoutError)
ERROR_LENGTH = 2000  # characters of the last error kept on the row
DEAD_LETTERED = "outbox row %s #%s dead-lettered after %s attempts: %s"
FAILED = "outbox row %s #%s failed (attempt %s of %s), next try at %s: %s"
TAKEN = "outbox row %s #%s is claimed by another relay: skipped"


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
    # The trace of the request that wrote the row (W3C ``traceparent``): the relay's
    # publish, and whoever handles the message, continue it (chassis/tracing.py).
    trace_context = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Failures to send: how many, the last one, when to try again (backing off).
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Dead-lettered: failed too often, never retried on its own (the admin can).
    dead_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self):
        if self.published_at:
            state = "sent"
        elif self.dead_at:
            state = "dead-lettered"
        else:
            state = "waiting"
        return f"{self.task_name} #{self.pk} ({state})"


def outbox_model() -> type[OutboxMessage]:
    """This service's concrete outbox model, named by ``settings.OUTBOX_MODEL``."""
    return apps.get_model(settings.OUTBOX_MODEL)


def outbox_add(*, task_name: str, queue: str, payload: dict) -> OutboxMessage:
    """Record a message; call it inside the transaction of the change it announces."""
    message = outbox_model()._default_manager.create(
        task_name=task_name,
        queue=queue,
        payload=payload,
        request_id=current_request_id.get(),
        trace_context=trace_carrier(),
    )
    _send_after_commit(message)
    return message


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
    message = outbox_model()._default_manager.create(
        kind=OutboxMessage.Kind.EVENT,
        task_name=event_type,
        queue=stream,
        payload=event,
        request_id=current_request_id.get(),
        trace_context=trace_carrier(),
    )
    _send_after_commit(message)
    return message


def _send_after_commit(message: OutboxMessage) -> None:
    """Send ``message`` as soon as the transaction that wrote it commits (the fast
    path); the relay sends it instead if this does not happen or fails.

    ``on_commit`` runs nothing if the transaction rolls back: a message about a
    change that never happened is never sent. Outside a transaction it runs at once.
    """
    if getattr(settings, "OUTBOX_PUBLISH_ON_COMMIT", True):
        transaction.on_commit(lambda: send_now(message))


def send_now(message: OutboxMessage) -> bool:
    """Claim and send one committed row, as a relay would; True if this sent it.

    Never raises: the caller has committed its work and answers its user, and the
    row waits for the relay, which retries (and counts a failure that is the row's).
    """
    try:
        return _send(message)
    except BROKER_DOWN as error:
        logger.warning(
            "outbox row %s #%s not sent after commit (%s); the relay will send it",
            message.task_name,
            message.pk,
            error,
        )
    except Exception:  # the same error would hit the relay: it counts and retries it
        logger.exception(
            "outbox row %s #%s not sent after commit; the relay will retry it",
            message.task_name,
            message.pk,
        )
    return False


def outbox_relay_once(*, batch: int = 100) -> int:
    """Publish up to ``batch`` due messages, oldest first; return how many were sent.

    Each row is claimed before it is sent (``_claim``), so a second relay running at
    the same time skips it. A message that fails is noted and stepped past
    (``_record_failure``); a broker that is down raises, so the caller pauses and
    tries the same rows again.
    """
    model = outbox_model()
    waiting = list(_due(model, now=timezone.now()).order_by("id")[:batch])
    sent = 0
    for message in waiting:
        try:
            sent += _send(message)
        except BROKER_DOWN:
            raise
        except Exception:  # this row's fault, noted on it: go on to the next
            if getattr(settings, "OUTBOX_STRICT", False):
                raise  # tests: a message the test sent wrong fails that test
    return sent


def _send(message: OutboxMessage) -> bool:
    """Claim ``message``, send it and mark it sent; False if another sender holds it.

    A broker that is down gives the lease back (the row is due again at once) and
    raises; any other error is the row's: it is noted on the row (backing off), and
    raised for the caller to log or step past.
    """
    leased_until = _claim(message)
    if leased_until is None:
        logger.debug(TAKEN, message.task_name, message.pk)
        return False
    crash_point("after_claim")  # tests: died holding the lease
    # The message's own request id, so the consumer's logs carry the original one.
    token = current_request_id.set(message.request_id)
    try:
        _publish(message)
    except BROKER_DOWN:
        _release(message, leased_until)  # not the row's fault: due at once
        raise
    except Exception as error:
        if getattr(settings, "OUTBOX_STRICT", False):
            _release(message, leased_until)
        else:
            _record_failure(message, error)
        raise
    finally:
        current_request_id.reset(token)
    # A crash here, sent but not marked, sends the message again once the lease
    # runs out: at least once, never lost.
    crash_point("after_send")
    type(message)._default_manager.filter(pk=message.pk).update(
        published_at=timezone.now(), next_attempt_at=None
    )
    logger.info("published %s #%s", message.task_name, message.pk)
    return True


def relay_heartbeat_name() -> str:
    """The name the relay beats under and /readyz reads (chassis/heartbeats.py).

    A service names it after its own queue (``OUTBOX_RELAY_HEARTBEAT``), so that two
    stacks sharing one Redis never mistake each other's relay for their own.
    """
    default = f"{settings.SERVICE_NAME}-outbox-relay"
    return getattr(settings, "OUTBOX_RELAY_HEARTBEAT", default)


def _due(model: type[OutboxMessage], *, now: datetime) -> models.QuerySet:
    """Rows waiting to be sent whose time has come (not leased, not backing off)."""
    return model._default_manager.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        published_at__isnull=True,
        dead_at__isnull=True,
    )


def _claim(message: OutboxMessage) -> datetime | None:
    """Lease ``message`` to this relay: when the lease ends, or None if another
    relay took it first.

    One UPDATE, run by the database one at a time for a row: it changes the row only
    while it is still due, so of two relays claiming it exactly one sees 1 row.
    """
    now = timezone.now()
    lease = timedelta(seconds=getattr(settings, "OUTBOX_LEASE_SECONDS", LEASE_SECONDS))
    claimed = (
        _due(type(message), now=now)
        .filter(pk=message.pk)
        .update(next_attempt_at=now + lease)
    )
    return now + lease if claimed == 1 else None


def _release(message: OutboxMessage, leased_until: datetime) -> None:
    """Give the lease back: the row is due again as it was before the claim.

    Only while the lease is still ours: once it ran out, another relay may hold it.
    """
    type(message)._default_manager.filter(
        pk=message.pk, next_attempt_at=leased_until
    ).update(next_attempt_at=message.next_attempt_at)


def outbox_retry(*, pks: list[int]) -> int:
    """Give dead-lettered (or failing) rows a fresh start; return how many."""
    return (
        outbox_model()
        ._default_manager.filter(pk__in=pks, published_at__isnull=True)
        .update(attempts=0, last_error="", next_attempt_at=None, dead_at=None)
    )


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failure: 1 s, 2 s, 4 s ... 5 min."""
    return min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_RETRY)


def _record_failure(message: OutboxMessage, error: Exception) -> None:
    attempts = message.attempts + 1
    limit: int = getattr(settings, "OUTBOX_MAX_ATTEMPTS", MAX_ATTEMPTS)
    now = timezone.now()
    described = f"{type(error).__name__}: {error}"[:ERROR_LENGTH]
    changes: dict[str, object] = {"attempts": attempts, "last_error": described}
    if attempts >= limit:
        changes["dead_at"] = now
        logger.error(DEAD_LETTERED, message.task_name, message.pk, attempts, described)
    else:
        changes["next_attempt_at"] = now + retry_delay(attempts)
        logger.warning(
            FAILED,
            message.task_name,
            message.pk,
            attempts,
            limit,
            changes["next_attempt_at"],
            described,
        )
    type(message)._default_manager.filter(pk=message.pk).update(**changes)


def _publish(message: OutboxMessage) -> None:
    # Within the trace of the request that wrote the row: Celery's instrumentation
    # puts this span's context in the task's headers; an event carries it as fields.
    with continue_trace(
        f"outbox publish {message.task_name}",
        message.trace_context,
        kind=SpanKind.PRODUCER,
    ):
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
                    **trace_carrier(),
                },
            )
        else:
            send_task(
                message.task_name,
                kwargs=message.payload,
                queue=message.queue,
            )
