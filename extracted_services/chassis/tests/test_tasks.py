"""Celery: tasks sent by name carry the request id; make_celery reads the settings."""

import pytest
from celery import Celery
from celery.signals import before_task_publish, task_postrun, task_prerun
from django.conf import settings

from extracted_services.chassis import tasks
from extracted_services.chassis.celery import make_celery
from extracted_services.chassis.request_id import current_request_id


@pytest.fixture
def published(monkeypatch):
    """Messages sent through an in-memory broker: (headers, routing key, body)."""
    app = Celery("chassis-test", broker="memory://")
    monkeypatch.setattr(tasks, "current_app", app)
    messages = []

    def record(headers=None, routing_key=None, body=None, **kwargs):
        messages.append((headers, routing_key, body))

    before_task_publish.connect(record, weak=False)
    yield messages
    before_task_publish.disconnect(record)
    app.close()


def test_send_task_sends_by_name_with_the_request_id(published, request_id):
    """No import of the receiving service: a name, kwargs, a queue, and the id."""
    tasks.send_task("payments.charge", kwargs={"order_id": 1}, queue="payments-x")

    ((headers, routing_key, body),) = published
    assert headers["task"] == "payments.charge"
    assert headers[tasks.TASK_HEADER] == request_id
    assert routing_key == "payments-x"
    assert body[1] == {"order_id": 1}


def test_a_worker_restores_the_id_from_the_message_and_forgets_it_after():
    """task_prerun sets the id from the message header; task_postrun puts it back."""
    app = Celery("chassis-test", broker="memory://")

    @app.task(name="demo.noop")
    def noop():
        return None

    # As a worker does: the message's headers become the task's request attributes.
    noop.push_request(request_id="from-the-web")
    try:
        task_prerun.send(sender=noop, task_id="t-1", task=noop, args=(), kwargs={})
        assert current_request_id.get() == "from-the-web"
        task_postrun.send(sender=noop, task_id="t-1", task=noop, args=(), kwargs={})
    finally:
        noop.pop_request()

    assert current_request_id.get() == "-"
    app.close()


def test_an_eager_task_keeps_the_senders_id(request_id):
    """In tests tasks run in place (eager): the id is the request's own."""
    app = Celery("chassis-test", broker="memory://")
    app.conf.task_always_eager = True
    seen = []

    @app.task(name="demo.remember")
    def remember():
        seen.append(current_request_id.get())

    remember.delay()

    assert seen == [request_id]
    assert current_request_id.get() == request_id
    app.close()


def test_make_celery_reads_the_celery_settings():
    """Broker, acks_late, redelivery on a lost worker, prefetch 1, visibility."""
    app = make_celery("chassis-test")

    assert app.main == "chassis-test"
    assert app.conf.broker_url == settings.CELERY_BROKER_URL
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    # Seconds, not Redis's hour: a killed worker's task comes back (test_worker_loss).
    assert app.conf.broker_transport_options["visibility_timeout"] == 30
    assert app.conf.broker_transport_options["unacked_restore_throttle"] == 1
    assert app.conf.worker_hijack_root_logger is False
    app.close()
