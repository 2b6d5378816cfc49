"""A task that fails for good is dropped by the broker: its ERROR line remains."""

import logging

import pytest
from celery import Celery

from extracted_services.chassis import tasks

BROKEN = "a bug in the task"


class Bug(Exception):
    """Anything a task does not retry: a bug, a bad payload."""


@pytest.fixture
def app():
    app = Celery("chassis-test-failures", broker="memory://", set_as_current=False)
    yield app
    app.close()


def test_a_failed_task_is_logged_at_error_with_its_name_ids_and_request(
    app, request_id, caplog
):
    """Name, task id, request id, the error: enough to find it and run it again."""

    @app.task(name="chassis_test.broken")
    def broken(*, order_id: int) -> None:
        raise Bug(BROKEN)

    with caplog.at_level(logging.ERROR, logger=tasks.__name__):
        result = broken.apply(kwargs={"order_id": 4}, task_id="task-under-test")

    assert result.failed()
    [record] = [r for r in caplog.records if r.name == tasks.__name__]
    assert record.levelno == logging.ERROR
    assert record.getMessage() == (
        "task chassis_test.broken[task-under-test] failed and was dropped "
        f"(request {request_id}): Bug: {BROKEN}; kwargs ['order_id']"
    )
