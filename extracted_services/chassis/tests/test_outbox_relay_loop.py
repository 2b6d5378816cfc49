"""The relay's claims, its chores and its heartbeat, in this process."""

import logging
import os
import secrets
import signal
import threading
from collections.abc import Iterator
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import timezone
from redis import Redis

from extracted_services.chassis import chores, heartbeats, outbox
from extracted_services.chassis.outbox import outbox_add, outbox_relay_once

from .conftest import wait_until
from .outboxapp import chores as test_chores
from .outboxapp.models import OutboxMessage
from .test_outbox import CHARGE

pytestmark = pytest.mark.django_db
SWEEP = "extracted_services.chassis.tests.outboxapp.chores.sweep"
BREAK_DOWN = "extracted_services.chassis.tests.outboxapp.chores.break_down"


@pytest.fixture(autouse=True)
def no_passes_yet():
    test_chores.passes.clear()


def run_relay_until(condition, **settings_changes) -> None:
    """``relay_outbox`` in its loop, stopped with SIGTERM once ``condition`` holds."""

    def stop_when_done():
        wait_until(condition)
        os.kill(os.getpid(), signal.SIGTERM)  # what a deploy sends to stop it

    stopper = threading.Thread(target=stop_when_done)
    stopper.start()
    call_command("relay_outbox", "--interval", "0.01")
    stopper.join()


def test_a_row_claimed_by_another_relay_is_left_to_it(sent):
    """Its lease runs: this relay skips it, and sends it only once the lease is over."""
    message = outbox_add(**CHARGE)
    leased_until = timezone.now() + timedelta(seconds=30)
    OutboxMessage.objects.update(next_attempt_at=leased_until)  # another relay's

    assert outbox_relay_once() == 0
    OutboxMessage.objects.update(next_attempt_at=timezone.now())  # it died: over
    assert outbox_relay_once() == 1

    assert len(sent) == 1
    message.refresh_from_db()
    assert (message.published_at is not None, message.next_attempt_at) == (True, None)


def test_while_one_relay_sends_a_row_a_second_finds_nothing(monkeypatch, sent):
    """The claim moves the row out of every other relay's reach during the send."""
    outbox_add(**CHARGE)
    recorder = outbox.send_task
    seen_by_second: list[int] = []

    def send_while_a_second_relay_looks(name, *, kwargs, queue):
        if not seen_by_second:  # the second relay runs once, mid-send
            seen_by_second.append(outbox_relay_once())
        recorder(name, kwargs=kwargs, queue=queue)

    monkeypatch.setattr(outbox, "send_task", send_while_a_second_relay_looks)

    assert outbox_relay_once() == 1
    assert seen_by_second == [0]
    assert len(sent) == 1


def test_relay_outbox_once_sends_every_batch_and_runs_the_chores_once(
    sent, settings, capsys
):
    """--once: everything due goes, however many batches; each chore runs once."""
    settings.OUTBOX_RELAY_CHORES = [SWEEP]
    for order_id in range(150):  # more than one batch of 100
        outbox_add(**{**CHARGE, "payload": {"order_id": order_id}})

    call_command("relay_outbox", "--once")

    assert "published 150 message(s)" in capsys.readouterr().out
    assert len(sent) == 150
    assert test_chores.passes == ["sweep"]


def test_a_broken_chore_is_logged_and_the_next_one_runs(settings, caplog):
    """One sweeper's bug stops neither the others nor the relay."""
    settings.OUTBOX_RELAY_CHORES = [BREAK_DOWN, SWEEP]

    with caplog.at_level(logging.ERROR, logger=chores.__name__):
        done = chores.run_chores()

    assert done == 1
    assert test_chores.passes == ["break_down", "sweep"]
    [record] = caplog.records
    assert record.getMessage() == chores.CHORE_FAILED % BREAK_DOWN
    assert record.exc_info[0] is test_chores.SweeperBroke


def test_the_relay_runs_its_chores_again_and_again_while_it_sends(sent, settings):
    """Every OUTBOX_CHORE_SECONDS, a broken chore included, and rows still go."""
    settings.OUTBOX_RELAY_CHORES = [BREAK_DOWN, SWEEP]
    settings.OUTBOX_CHORE_SECONDS = 0.01
    outbox_add(**CHARGE)

    run_relay_until(lambda: test_chores.passes.count("sweep") >= 3 and sent)

    assert test_chores.passes.count("break_down") >= 3
    assert len(sent) == 1


@pytest.fixture
def relay_heartbeat(settings) -> Iterator[str]:
    """A heartbeat name of this test's own, and /readyz checking it, with no relay."""
    name = f"test-outbox-relay-{secrets.token_hex(4)}"
    settings.OUTBOX_RELAY_HEARTBEAT = name
    settings.CELERY_TASK_ALWAYS_EAGER = False  # a real relay, as in production
    settings.READINESS_CHECKS = {
        **settings.READINESS_CHECKS,
        "relay": "extracted_services.chassis.health.check_outbox_relay",
    }
    heartbeats.forget()
    yield name
    heartbeats.forget()
    redis().delete(heartbeats.KEY.format(queue=name))


def redis() -> Redis:
    return Redis.from_url(django_settings.CELERY_BROKER_URL)


def test_readyz_is_503_while_no_relay_beats(api_client, relay_heartbeat):
    """The service takes work it cannot send: not ready, and the check says why."""
    response = api_client.get("/readyz")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["checks"]["relay"] == "error: WorkerSilent"
    assert response.json()["checks"]["database"] == "ok"


def test_a_running_relay_beats_and_readyz_is_ready(api_client, relay_heartbeat):
    """relay_outbox writes its heartbeat (with a TTL) while it runs."""
    key = heartbeats.KEY.format(queue=relay_heartbeat)

    run_relay_until(lambda: redis().exists(key))
    response = api_client.get("/readyz")

    assert 0 < redis().ttl(key) <= heartbeats.TTL  # it expires once the relay dies
    assert response.status_code == HTTPStatus.OK
    assert response.json()["checks"]["relay"] == "ok"
