"""The outbox: messages leave only after their transaction commits, at least once."""

import inspect
import json
import os
import re
import signal
import threading
import uuid

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from redis import Redis

from extracted_services.chassis import outbox
from extracted_services.chassis.events import stream_add
from extracted_services.chassis.outbox import (
    outbox_add,
    outbox_event_add,
    outbox_relay_once,
)
from extracted_services.chassis.request_id import current_request_id

from .conftest import Sent, wait_until
from .outboxapp.models import OutboxMessage

CHARGE = {
    "task_name": "payments.charge",
    "queue": "payments-test",
    "payload": {
        "order_id": 1,
        "amount": "19.99",
        "currency": "EUR",
        "card_sealed": "A" * 512,  # sealed for payments: see test_card_sealing.py
    },
}


class Crash(Exception):
    """A failure at the worst moment: a process dying, a business rule breaking."""


def relay_in_another_thread() -> int:
    # Another thread is another database connection, as the relay process would be.
    result = []

    def run():
        try:
            result.append(outbox_relay_once())
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result[0]


@pytest.mark.django_db(transaction=True)
def test_a_message_is_published_only_after_its_transaction_commits(sent, settings):
    """While the transaction is open the relay sees nothing; after commit, it sends."""
    settings.OUTBOX_PUBLISH_ON_COMMIT = False  # the relay alone sends
    with transaction.atomic():
        outbox_add(**CHARGE)
        assert relay_in_another_thread() == 0
        assert sent == []

    assert relay_in_another_thread() == 1
    assert [(s.task_name, s.queue) for s in sent] == [
        ("payments.charge", "payments-test")
    ]


@pytest.mark.django_db(transaction=True)
def test_the_writer_sends_its_message_as_soon_as_it_commits(sent):
    """The fast path: sent by the process that wrote it, the relay left nothing."""
    with transaction.atomic():
        message = outbox_add(**CHARGE)
        assert sent == []  # not while the transaction may still roll back

    assert [(s.task_name, s.queue) for s in sent] == [
        ("payments.charge", "payments-test")
    ]
    message.refresh_from_db()
    assert message.published_at is not None
    assert relay_in_another_thread() == 0


@pytest.mark.django_db(transaction=True)
def test_a_send_after_commit_that_fails_is_left_to_the_relay(monkeypatch, sent):
    """The broker is down at the commit: the writer's work stands, nothing raises,
    and the row waits for the relay, due at once (the failure is not the row's)."""
    recorder = outbox.send_task

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("Redis is down")

    monkeypatch.setattr(outbox, "send_task", broker_down)
    with transaction.atomic():
        message = outbox_add(**CHARGE)

    message.refresh_from_db()
    assert (message.published_at, message.attempts) == (None, 0)
    assert message.next_attempt_at is None  # the lease given back: due now
    monkeypatch.setattr(outbox, "send_task", recorder)
    assert relay_in_another_thread() == 1
    assert [s.task_name for s in sent] == ["payments.charge"]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_message_is_never_published(sent):
    """The business change failed: its message goes with it."""

    @transaction.atomic
    def place_and_fail():
        outbox_add(**CHARGE)
        raise Crash  # the business change fails after the message was written

    with pytest.raises(Crash):
        place_and_fail()

    assert outbox_relay_once() == 0
    assert sent == []


@pytest.mark.django_db
def test_the_payload_travels_as_it_was_recorded(sent):
    """The row's payload is the task's kwargs: no field kept apart, none added."""
    message = outbox_add(**CHARGE)

    outbox_relay_once()

    assert sent[0].kwargs == CHARGE["payload"]
    message.refresh_from_db()
    assert message.payload == CHARGE["payload"]
    assert message.published_at is not None


def test_the_outbox_has_no_place_for_a_secret_in_plain_text():
    """No column to clear later: what a row holds rests in the file, WAL included."""
    columns = {field.name for field in OutboxMessage._meta.get_fields()}

    assert "sensitive" not in columns
    assert "sensitive" not in inspect.signature(outbox_add).parameters


@pytest.mark.django_db
def test_a_published_message_is_not_sent_again(sent):
    """A second run finds nothing waiting."""
    outbox_add(**CHARGE)
    outbox_relay_once()

    assert outbox_relay_once() == 0
    assert len(sent) == 1


@pytest.mark.django_db
def test_a_crash_between_send_and_mark_sends_again(monkeypatch, sent):
    """At-least-once: not marked sent, so the next run sends it again."""
    recorder = outbox.send_task

    def send_then_crash(name, *, kwargs, queue):
        recorder(name, kwargs=kwargs, queue=queue)
        raise Crash

    monkeypatch.setattr(outbox, "send_task", send_then_crash)
    outbox_add(**CHARGE)
    with pytest.raises(Crash):
        outbox_relay_once()
    monkeypatch.setattr(outbox, "send_task", recorder)

    assert outbox_relay_once() == 1
    assert len(sent) == 2
    assert sent[0] == sent[1]
    assert OutboxMessage.objects.get().published_at is not None


@pytest.mark.django_db
def test_messages_go_oldest_first_in_batches(sent):
    """Id order, at most ``batch`` a run."""
    for order_id in (1, 2, 3):
        outbox_add(**{**CHARGE, "payload": {"order_id": order_id}})

    assert outbox_relay_once(batch=2) == 2
    assert outbox_relay_once(batch=2) == 1
    assert [s.kwargs["order_id"] for s in sent] == [1, 2, 3]


@pytest.mark.django_db
def test_a_message_carries_the_request_id_that_caused_it(sent):
    """The relay sends with the original request's id, not its own."""
    token = current_request_id.set("checkout-77")
    try:
        message = outbox_add(**CHARGE)
    finally:
        current_request_id.reset(token)

    outbox_relay_once()

    assert message.request_id == "checkout-77"
    assert sent[0].request_id == "checkout-77"
    assert current_request_id.get() == "-"


@pytest.mark.django_db
def test_relay_outbox_once_publishes_and_exits(sent, capsys):
    """``manage.py relay_outbox --once``: what waits is sent, then it exits."""
    outbox_add(**CHARGE)

    call_command("relay_outbox", "--once")

    assert "published 1 message(s)" in capsys.readouterr().out
    assert len(sent) == 1


@pytest.mark.django_db
def test_relay_outbox_runs_until_sigterm(sent, capsys):
    """The loop publishes as messages come, and stops cleanly on SIGTERM."""
    outbox_add(**CHARGE)
    handler_before = signal.getsignal(signal.SIGTERM)

    def stop_once_sent():
        wait_until(lambda: len(sent) == 1)
        os.kill(os.getpid(), signal.SIGTERM)  # what a deploy sends to stop it

    stopper = threading.Thread(target=stop_once_sent)
    stopper.start()
    call_command("relay_outbox", "--interval", "0.01")
    stopper.join()

    assert sent == [Sent("payments.charge", sent[0].kwargs, "payments-test", "-")]
    assert "relay stopped" in capsys.readouterr().out
    assert signal.getsignal(signal.SIGTERM) == handler_before


@pytest.fixture
def stream_entries(monkeypatch) -> list[tuple[str, dict[str, str]]]:
    """What the relay adds to Redis streams, recorded instead of sent."""
    entries: list[tuple[str, dict[str, str]]] = []

    def record(stream: str, *, fields: dict[str, str]) -> str:
        entries.append((stream, fields))
        return f"{len(entries)}-0"

    monkeypatch.setattr(outbox, "stream_add", record)
    return entries


@pytest.mark.django_db
def test_an_event_goes_to_its_stream_not_to_a_queue(sent, stream_entries, request_id):
    """kind=event: one stream entry with type, id, the event as JSON, the request id."""
    message = outbox_event_add(
        stream="events-test", event_type="thing.done", data={"thing_id": 3}
    )

    assert outbox_relay_once() == 1

    assert sent == []
    [(stream, fields)] = stream_entries
    event = json.loads(fields["payload"])
    assert stream == "events-test"
    assert fields == {
        "type": "thing.done",
        "id": event["id"],
        "payload": fields["payload"],
        "request_id": "req-under-test",
    }
    assert event == {**message.payload, "thing_id": 3}
    assert event["type"] == "thing.done"
    uuid.UUID(event["id"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", event["occurred_at"])


@pytest.mark.django_db
def test_an_event_has_its_id_before_it_is_sent(stream_entries):
    """Made with the row: sent twice (a crash before marking), it is the same event."""
    message = outbox_event_add(stream="events-test", event_type="thing.done", data={})
    outbox_relay_once()
    OutboxMessage.objects.update(published_at=None)  # as if the mark was lost

    outbox_relay_once()

    first, second = (json.loads(fields["payload"]) for _, fields in stream_entries)
    assert first == second == message.payload
    assert OutboxMessage.objects.get().kind == OutboxMessage.Kind.EVENT


@pytest.mark.django_db
def test_commands_and_events_leave_in_the_order_they_were_written(sent, stream_entries):
    """One relay, one order: a command, an event, a command."""
    outbox_add(**CHARGE)
    outbox_event_add(stream="events-test", event_type="thing.done", data={})
    outbox_add(**CHARGE)

    assert outbox_relay_once() == 3
    assert (len(sent), len(stream_entries)) == (2, 1)


def test_stream_add_appends_to_a_real_redis_stream(settings):
    """XADD, never trimmed: every entry stays for a subscriber built later."""
    stream = f"chassis-test-stream-{uuid.uuid4().hex}"  # a key of its own
    redis = Redis.from_url(settings.REDIS_URL, decode_responses=True)
    try:
        ids = [stream_add(stream, fields={"n": str(n)}) for n in range(3)]

        entries = redis.xrange(stream)
    finally:
        redis.delete(stream)
        redis.close()
    assert [entry_id for entry_id, _ in entries] == ids
    assert [fields for _, fields in entries] == [{"n": "0"}, {"n": "1"}, {"n": "2"}]
