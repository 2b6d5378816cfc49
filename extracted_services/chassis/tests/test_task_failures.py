"""A task that fails for good: logged at ERROR, and kept as a dead letter to resend."""

import logging
from http import HTTPStatus

import pytest
from celery import Celery
from django.forms.models import model_to_dict
from django.urls import reverse

from extracted_services.chassis import failed_tasks, tasks
from extracted_services.chassis.admin import REFUSED, SENT_AGAIN
from extracted_services.chassis.models import FailedTask
from extracted_services.chassis.request_id import current_request_id

from .conftest import Sent

pytestmark = pytest.mark.django_db
BROKEN = "a bug in the task"
CARD = "4242 4242 4242 4242"
SEALED = "gAAAAB" + "x" * 300  # stands for a sealed card: kept, never opened
CHANGELIST = "admin:chassis_failedtask_changelist"


class Bug(Exception):
    """Anything a task does not retry: a bug, a bad payload."""


@pytest.fixture
def app():
    app = Celery("chassis-test-failures", broker="memory://", set_as_current=False)
    yield app
    app.close()


@pytest.fixture
def broken(app):
    @app.task(name="chassis_test.broken")
    def broken(**kwargs) -> None:
        raise Bug(BROKEN)

    return broken


@pytest.fixture
def resent(monkeypatch) -> list[Sent]:
    """What "Send again" queues, recorded instead of sent to Redis."""
    messages: list[Sent] = []

    def record(name, *, kwargs, queue):
        messages.append(Sent(name, kwargs, queue, current_request_id.get()))

    monkeypatch.setattr(failed_tasks, "send_task", record)
    return messages


def test_a_failed_task_is_logged_at_error_with_its_name_ids_and_request(
    broken, request_id, caplog
):
    """Name, task id, request id, the error: enough to find it and run it again."""
    with caplog.at_level(logging.ERROR, logger=tasks.__name__):
        result = broken.apply(kwargs={"order_id": 4}, task_id="task-under-test")

    assert result.failed()
    [record] = [r for r in caplog.records if r.name == tasks.__name__]
    assert record.levelno == logging.ERROR
    assert record.getMessage() == (
        "task chassis_test.broken[task-under-test] failed for good "
        f"(request {request_id}): Bug: {BROKEN}; kwargs ['order_id']"
    )


def test_a_failed_task_lands_one_dead_letter(broken, request_id):
    """One row: its name, id, kwargs, the error, the traceback's tail, the request."""
    broken.apply(kwargs={"order_id": 4}, task_id="task-under-test")

    [dead] = FailedTask.objects.all()
    assert (dead.task_name, dead.task_id) == ("chassis_test.broken", "task-under-test")
    assert dead.kwargs == {"order_id": 4}
    assert dead.exception == f"Bug: {BROKEN}"
    assert "raise Bug(BROKEN)" in dead.traceback
    assert dead.request_id == request_id
    assert (dead.redacted, dead.retried_at) == (False, None)


def test_a_task_that_fails_every_retry_lands_one_dead_letter(app):
    """Retried twice, failed three times: one row, written after the last try."""
    tries = []

    @app.task(
        name="chassis_test.always_failing",
        autoretry_for=(Bug,),
        max_retries=2,
        default_retry_delay=0,
    )
    def always_failing(*, order_id: int) -> None:
        tries.append(order_id)
        raise Bug(BROKEN)

    always_failing.apply(kwargs={"order_id": 5})

    assert len(tries) == 3
    [dead] = FailedTask.objects.all()
    assert dead.kwargs == {"order_id": 5}


def test_the_dead_letter_never_holds_a_card_number(broken):
    """Named secrets replaced, card-shaped digits blanked everywhere; sealed stays."""

    @broken.app.task(name="chassis_test.leaky")
    def leaky(**kwargs) -> None:
        raise Bug(f"declined {kwargs['card_number']}")

    leaky.apply(
        kwargs={
            "order_id": 6,
            "card_number": CARD,
            "card_sealed": SEALED,
            "note": {"said": f"paid with {CARD.replace(' ', '')}"},
        }
    )

    [dead] = FailedTask.objects.all()
    everything = str(model_to_dict(dead))
    assert CARD not in everything
    assert CARD.replace(" ", "") not in everything
    assert "4242" not in everything
    assert dead.kwargs["card_sealed"] == SEALED
    assert dead.kwargs["card_number"] == failed_tasks.REMOVED
    assert dead.redacted is True


def test_the_admin_sends_a_dead_letter_again(admin_client, broken, resent):
    """ "Send again": the same task, kwargs, queue and request id; retried_at noted."""
    dead = FailedTask.objects.create(
        task_name="payments.charge",
        queue="payments-test",
        kwargs={"order_id": 7, "card_sealed": SEALED},
        exception="Bug: a bug in the task",
        request_id="checkout-7",
    )

    response = admin_client.post(
        reverse(CHANGELIST),
        {"action": "send_again", "_selected_action": [dead.pk]},
        follow=True,
    )

    assert response.status_code == HTTPStatus.OK
    assert SENT_AGAIN % {"count": 1} in response.content.decode()
    assert resent == [
        Sent("payments.charge", dead.kwargs, "payments-test", "checkout-7")
    ]
    dead.refresh_from_db()
    assert dead.retried_at is not None


def test_the_admin_refuses_to_send_a_task_whose_secret_was_removed(
    admin_client, resent
):
    """Its kwargs are not what was sent: sending them would send "[removed]"."""
    dead = FailedTask.objects.create(
        task_name="payments.charge",
        kwargs={"card_number": failed_tasks.REMOVED},
        redacted=True,
        exception="Bug",
    )

    response = admin_client.post(
        reverse(CHANGELIST),
        {"action": "send_again", "_selected_action": [dead.pk]},
        follow=True,
    )

    assert REFUSED % {"count": 1} in response.content.decode()
    assert resent == []
    dead.refresh_from_db()
    assert dead.retried_at is None


def test_the_admin_lists_dead_letters_read_only(admin_client):
    """Listed by name; none can be added by hand: only the worker writes them."""
    FailedTask.objects.create(task_name="orders.payment_result", exception="Bug")

    response = admin_client.get(reverse(CHANGELIST))

    assert response.status_code == HTTPStatus.OK
    assert "orders.payment_result" in response.content.decode()
    adding = admin_client.get(reverse("admin:chassis_failedtask_add"))
    assert adding.status_code == HTTPStatus.FORBIDDEN
