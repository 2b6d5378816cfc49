"""A poison outbox row: noted, stepped past, dead-lettered, retried from the admin."""

import logging
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from extracted_services.chassis import outbox
from extracted_services.chassis.outbox import outbox_add, outbox_relay_once, retry_delay

from .outboxapp.models import OutboxMessage

CHARGE = {
    "task_name": "payments.charge",
    "queue": "payments-test",
    "payload": {"order_id": 1},
}
CHANGELIST = "admin:outboxapp_outboxmessage_changelist"


@pytest.fixture(autouse=True)
def as_in_production(settings):
    """Test settings make a failing row raise (OUTBOX_STRICT); here it is noted."""
    settings.OUTBOX_STRICT = False


def poison() -> OutboxMessage:
    """An event row without the id every event has: it can never be sent."""
    return OutboxMessage.objects.create(
        kind=OutboxMessage.Kind.EVENT,
        task_name="thing.done",
        queue="events-test",
        payload={"thing_id": 3},
    )


def as_if_the_wait_were_over() -> None:
    OutboxMessage.objects.update(next_attempt_at=timezone.now())


@pytest.mark.django_db
def test_a_poison_row_does_not_delay_newer_rows(sent):
    """The bad row is noted and stepped past; the one behind it is sent at once."""
    bad = poison()
    outbox_add(**CHARGE)

    assert outbox_relay_once() == 1

    assert [s.kwargs for s in sent] == [CHARGE["payload"]]
    bad.refresh_from_db()
    assert bad.published_at is None
    assert bad.attempts == 1
    assert bad.last_error.startswith("KeyError")
    assert bad.next_attempt_at > timezone.now()
    assert bad.dead_at is None


@pytest.mark.django_db
def test_a_failed_row_waits_longer_after_each_failure(sent):
    """Not tried again until its time; the waits double, up to five minutes."""
    poison()
    outbox_relay_once()

    assert outbox_relay_once() == 0
    assert OutboxMessage.objects.get().attempts == 1
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert retry_delay(30) == timedelta(minutes=5)


@pytest.mark.django_db
def test_a_row_is_dead_lettered_after_the_last_attempt(sent, settings):
    """OUTBOX_MAX_ATTEMPTS failures: dead_at is set, and the relay leaves it alone."""
    settings.OUTBOX_MAX_ATTEMPTS = 3
    bad = poison()

    for _ in range(3):
        outbox_relay_once()
        as_if_the_wait_were_over()
    outbox_relay_once()  # a dead row is not tried again, however long it waited

    bad.refresh_from_db()
    assert bad.attempts == 3
    assert bad.dead_at is not None
    assert bad.published_at is None
    assert str(bad) == f"thing.done #{bad.pk} (dead-lettered)"


@pytest.mark.django_db
def test_the_last_failure_is_logged_at_error(sent, settings, caplog):
    """Whoever watches the logs learns which row was given up on, and why."""
    settings.OUTBOX_MAX_ATTEMPTS = 1
    bad = poison()

    with caplog.at_level(logging.ERROR, logger=outbox.__name__):
        outbox_relay_once()

    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert f"#{bad.pk} dead-lettered after 1 attempts" in record.getMessage()


@pytest.mark.django_db
def test_a_broker_that_is_down_is_not_counted_against_the_row(monkeypatch):
    """Every row would fail alike: the error stops the run, no row is marked."""

    def broker_down(name, *, kwargs, queue):
        raise BrokerError("Error 111 connecting to 127.0.0.1:6379")

    monkeypatch.setattr(outbox, "send_task", broker_down)
    outbox_add(**CHARGE)

    with pytest.raises(BrokerError):
        outbox_relay_once()

    message = OutboxMessage.objects.get()
    assert (message.attempts, message.next_attempt_at) == (0, None)


@pytest.mark.django_db
def test_the_admin_lists_dead_lettered_rows(admin_client, settings, sent):
    """The "dead-lettered" filter shows the given-up rows, and only them."""
    settings.OUTBOX_MAX_ATTEMPTS = 1
    bad = poison()
    outbox_add(**CHARGE)
    outbox_relay_once()

    response = admin_client.get(reverse(CHANGELIST), {"state": "dead"})

    listed = list(response.context["cl"].result_list)
    assert listed == [bad]
    assert "dead-lettered" in response.content.decode()


@pytest.mark.django_db
def test_the_admin_retries_a_dead_lettered_row(admin_client, sent):
    """The "Retry" action gives the row a fresh start; the relay then sends it."""
    message = outbox_add(**CHARGE)
    OutboxMessage.objects.update(
        attempts=10, last_error="KeyError: 'id'", dead_at=timezone.now()
    )
    assert outbox_relay_once() == 0

    response = admin_client.post(
        reverse(CHANGELIST),
        {"action": "retry", "_selected_action": [message.pk]},
        follow=True,
    )

    assert "1 message(s) will be sent again" in response.content.decode()
    message.refresh_from_db()
    assert (message.attempts, message.dead_at, message.last_error) == (0, None, "")
    assert outbox_relay_once() == 1
    assert len(sent) == 1
