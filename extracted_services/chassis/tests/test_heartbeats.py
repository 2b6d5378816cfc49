"""Worker heartbeats: /readyz is 503, naming the worker, while a needed one is away."""

import secrets
import threading
import time
from collections.abc import Iterator
from http import HTTPStatus

import pytest
from django.conf import settings
from django.test import override_settings
from redis import Redis
from redis.exceptions import RedisError

from extracted_services.chassis import heartbeats
from extracted_services.chassis.settings import READINESS_CHECKS

pytestmark = pytest.mark.django_db
WORKER_CHECKS = {
    **READINESS_CHECKS,
    "orders-worker": "extracted_services.chassis.health.check_orders_worker",
    "payments-worker": "extracted_services.chassis.health.check_payments_worker",
}


@pytest.fixture
def queues() -> Iterator[dict[str, str]]:
    """Queues of this test's own, with no worker behind them: no heartbeat yet."""
    names = {
        name: f"test-{name.lower()}-{secrets.token_hex(4)}"
        for name in ("ORDERS_QUEUE", "PAYMENTS_QUEUE")
    }
    heartbeats.forget()
    with override_settings(
        CELERY_TASK_ALWAYS_EAGER=False, READINESS_CHECKS=WORKER_CHECKS, **names
    ):
        yield names
    heartbeats.forget()
    keys = [heartbeats.KEY.format(queue=queue) for queue in names.values()]
    _redis().delete(*keys)


def _redis() -> Redis:
    return Redis.from_url(settings.CELERY_BROKER_URL)


def _beat_once(queue: str) -> None:
    """One heartbeat for ``queue``, as a worker writes it: the stop is already set."""
    stop = threading.Event()
    stop.set()
    heartbeats.beat([queue], stop=stop)


def test_readyz_is_503_naming_the_worker_that_sent_no_heartbeat(api_client, queues):
    """Payments' worker is away: the check named for it fails, the others do not."""
    _beat_once(queues["ORDERS_QUEUE"])

    response = api_client.get("/readyz")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    checks = response.json()["checks"]
    assert checks["payments-worker"] == "error: WorkerSilent"
    assert checks["orders-worker"] == "ok"
    assert checks["database"] == "ok"


def test_readyz_is_200_once_every_needed_worker_beats(api_client, queues):
    """A heartbeat for each queue makes the service ready."""
    for queue in queues.values():
        _beat_once(queue)

    response = api_client.get("/readyz")

    assert response.status_code == HTTPStatus.OK
    assert response.json()["checks"]["payments-worker"] == "ok"


def test_a_heartbeat_expires_on_its_own(queues):
    """A killed worker writes nothing more: its key goes after TTL seconds."""
    queue = queues["PAYMENTS_QUEUE"]

    _beat_once(queue)

    ttl = _redis().ttl(heartbeats.KEY.format(queue=queue))
    assert 0 < ttl <= heartbeats.TTL


def test_the_answer_is_kept_for_a_moment_then_asked_again(queues, monkeypatch):
    """A busy probe asks Redis at most once per CACHE_FOR seconds per queue."""
    queue = queues["PAYMENTS_QUEUE"]
    _beat_once(queue)
    heartbeats.check_worker(queue)
    _redis().delete(heartbeats.KEY.format(queue=queue))

    heartbeats.check_worker(queue)  # kept: the worker still counts as alive
    monkeypatch.setattr(heartbeats, "CACHE_FOR", 0)  # the kept answer is now too old

    with pytest.raises(heartbeats.WorkerSilent, match=queue):
        heartbeats.check_worker(queue)


def test_the_check_is_bounded_when_redis_does_not_answer(queues):
    """An unreachable broker fails the check quickly instead of hanging the probe."""
    with override_settings(CELERY_BROKER_URL="redis://10.255.255.1:6379/0"):
        started = time.monotonic()
        with pytest.raises(RedisError):
            heartbeats.check_worker(queues["PAYMENTS_QUEUE"])
        elapsed = time.monotonic() - started

    assert elapsed < heartbeats.TIMEOUT * 2 + 0.5


def test_eager_tasks_need_no_worker(queues):
    """Tasks that run in the caller's process (tests) wait for no worker."""
    with override_settings(CELERY_TASK_ALWAYS_EAGER=True):
        heartbeats.check_worker(queues["PAYMENTS_QUEUE"])  # raises if it asked Redis
