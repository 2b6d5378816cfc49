"""A worker killed mid-task: its message is delivered again within seconds.

A real worker process, the real Redis (keys under a prefix of this test's own), the
chassis's Celery settings. The worker takes a task that holds on until a file
appears, is killed with SIGKILL (the whole process group, as a crashed container
is), and a new worker must run the task well inside a minute, not Redis's hour.
"""

import contextlib
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings
from redis import Redis

from . import killable_worker
from .conftest import wait_until

VISIBILITY_TIMEOUT = 4  # seconds; CELERY_VISIBILITY_TIMEOUT for the workers
STARTED = 30.0  # seconds a worker may take to start and take the task
REDELIVERED = 25.0  # seconds the new worker may take to run it again


class Workers:
    """Start and kill workers of ``killable_worker`` on one queue of their own."""

    def __init__(self, *, queue: str, prefix: str) -> None:
        self.queue = queue
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "extracted_services.chassis.tests.settings",
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            killable_worker.PREFIX_VARIABLE: prefix,
        }
        self.running: list[subprocess.Popen[bytes]] = []

    def start(self) -> subprocess.Popen[bytes]:
        command = [
            sys.executable,
            *("-m", "celery", "--app", killable_worker.__name__, "worker"),
            *("--queues", self.queue, "--concurrency", "1", "--loglevel", "WARNING"),
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
        # A session of its own: SIGKILL reaches the pool's child too.
        worker = subprocess.Popen(
            command,
            env=self.env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.running.append(worker)
        return worker

    def kill(self, worker: subprocess.Popen[bytes]) -> None:
        with contextlib.suppress(ProcessLookupError):  # already gone
            os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()


@pytest.fixture
def prefix() -> Iterator[str]:
    """A Redis key prefix of this run's own; its keys are deleted afterwards."""
    prefix = f"chassis-test-kill-{uuid.uuid4().hex}:"
    yield prefix
    redis = Redis.from_url(settings.CELERY_BROKER_URL)
    try:
        keys = list(redis.scan_iter(match=f"{prefix}*"))
        if keys:
            redis.delete(*keys)
    finally:
        redis.close()


@pytest.fixture
def workers(prefix: str) -> Iterator[Workers]:
    started = Workers(queue=f"{prefix}queue", prefix=prefix)
    yield started
    for worker in started.running:
        started.kill(worker)


def send(*, queue: str, prefix: str, folder: Path) -> None:
    """Queue the task as a service would, through the same broker settings."""
    sender = Celery("chassis-kill-test-sender", set_as_current=False)
    sender.config_from_object("django.conf:settings", namespace="CELERY")
    sender.conf.broker_transport_options = {
        **sender.conf.broker_transport_options,
        "global_keyprefix": prefix,
    }
    sender.conf.task_always_eager = False  # a real message, for a real worker
    sender.send_task(
        killable_worker.TASK_NAME, kwargs={"folder": str(folder)}, queue=queue
    )
    sender.close()


def deliveries(folder: Path) -> list[str]:
    path = folder / "deliveries"
    return path.read_text().split() if path.exists() else []


def test_a_killed_workers_task_is_run_by_the_next_worker_within_seconds(
    workers: Workers, prefix: str, tmp_path: Path
):
    """SIGKILL while the task runs: a new worker runs it again within seconds."""
    first = workers.start()
    send(queue=workers.queue, prefix=prefix, folder=tmp_path)
    assert wait_until(lambda: len(deliveries(tmp_path)) == 1, timeout=STARTED)

    workers.kill(first)
    (tmp_path / "release").touch()  # the next delivery finishes at once
    workers.start()

    assert wait_until(lambda: (tmp_path / "done").exists(), timeout=REDELIVERED)
    assert len(deliveries(tmp_path)) == 2
