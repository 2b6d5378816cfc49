"""A Celery worker for test_worker_loss.py: the chassis's settings, one test task.

``celery --app extracted_services.chassis.tests.killable_worker worker``. Its broker
settings are the chassis's own (``CELERY_*``, visibility timeout included); only the
keys get a prefix of the test's (``KILL_TEST_PREFIX``), so the test's messages never
mix with another run's in the shared Redis.
"""

import os
import threading
import time
from pathlib import Path

from celery import Celery

os.environ.setdefault(
    "DJANGO_SETTINGS_MODULE", "extracted_services.chassis.tests.settings"
)

TASK_NAME = "chassis_test.hold_until_released"
RELEASE_WAIT = 120.0  # seconds a delivery waits for its release file at most
PREFIX_VARIABLE = "KILL_TEST_PREFIX"

app = Celery("chassis-kill-test", set_as_current=False)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.broker_transport_options = {
    **app.conf.broker_transport_options,
    "global_keyprefix": os.environ.get(PREFIX_VARIABLE, "chassis-test-kill:"),
}
app.conf.task_always_eager = False


@app.task(name=TASK_NAME)
def hold_until_released(*, folder: str) -> None:
    """Note each delivery, wait for the test's release file, then note it done."""
    here = Path(folder)
    with (here / "deliveries").open("a") as deliveries:
        deliveries.write(f"{os.getpid()}\n")
    release = here / "release"
    pause = threading.Event()  # never set: a wait that a signal does not cut short
    deadline = time.monotonic() + RELEASE_WAIT
    while not release.exists() and time.monotonic() < deadline:
        pause.wait(0.05)  # this task stands in for a slow charge
    (here / "done").write_text(str(os.getpid()))
