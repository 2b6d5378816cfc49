"""Worker heartbeats: /readyz knows whether the Celery workers it needs are alive.

A worker, once it consumes, writes ``worker-heartbeat:<queue>`` in the broker's Redis
every INTERVAL seconds with a TTL of three intervals; a service's readiness check
(health.worker_check) reads that key (one EXISTS, bounded by TIMEOUT, its answer kept
for CACHE_FOR seconds so a busy probe does not hammer Redis). Simpler than
``control.ping``, which broadcasts to every worker on the broker and waits out its
whole timeout.

Copied on purpose from monolith/core/heartbeats.py, the monolith's worker's;
tests/test_copies.py keeps the two identical.
"""

import logging
import threading
import time
from collections.abc import Iterable

from celery.signals import worker_ready
from django.conf import settings
from redis import Redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

KEY = "worker-heartbeat:{queue}"  # one key per queue: stacks sharing a Redis differ
INTERVAL = 2  # seconds between a worker's heartbeats
TTL = 3 * INTERVAL  # seconds: three missed heartbeats and the worker counts as gone
TIMEOUT = 1.0  # seconds: a readiness probe never waits longer than this on Redis
CACHE_FOR = 1.5  # seconds: a busy probe asks Redis at most this often per queue

NO_HEARTBEAT = "no worker consuming {queue!r} has sent a heartbeat in the last {ttl} s"
BEAT_FAILED = "the heartbeat for %s was not written (%r); trying again in %s s"

# queue -> (when it was last asked, whether a worker was alive): this process's memory.
_seen: dict[str, tuple[float, bool]] = {}


class WorkerSilent(RuntimeError):
    """No worker consuming a queue has sent a heartbeat within ``TTL`` seconds."""


def check_worker(queue: str) -> None:
    """Raise ``WorkerSilent`` unless a worker consuming ``queue`` is alive.

    Eager tasks (tests) run in the caller's own process: no worker to wait for.
    The answer is kept for ``CACHE_FOR`` seconds; a Redis error is raised, never kept.
    """
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return
    now = time.monotonic()
    seen = _seen.get(queue)
    if seen is None or now - seen[0] >= CACHE_FOR:
        alive = bool(_redis().exists(KEY.format(queue=queue)))
        seen = _seen[queue] = (now, alive)
    if not seen[1]:
        raise WorkerSilent(NO_HEARTBEAT.format(queue=queue, ttl=TTL))


def forget() -> None:
    """Drop the kept answers, so that the next check asks Redis (tests)."""
    _seen.clear()


def beat(queues: Iterable[str], *, stop: threading.Event) -> None:
    """Write each queue's heartbeat key, with its TTL, every INTERVAL until ``stop``.

    Redis away is no reason to stop: the next beat tries again.
    """
    keys = [KEY.format(queue=queue) for queue in queues]
    redis = _redis()
    while True:
        try:
            with redis.pipeline() as pipe:
                for key in keys:
                    pipe.set(key, "alive", ex=TTL)
                pipe.execute()
        except RedisError as exc:
            logger.warning(BEAT_FAILED, ", ".join(keys), exc, INTERVAL)
        if stop.wait(INTERVAL):
            return


@worker_ready.connect
def _start_beating(sender, **kwargs) -> None:
    """Once the worker consumes, beat for its queues from a thread of the main process.

    The thread dies with the process: a killed worker stops beating, and its keys
    expire within TTL seconds. The pool's children do not inherit it.
    """
    queues = sorted(sender.app.amqp.queues.consume_from)
    thread = threading.Thread(
        target=beat,
        args=(queues,),
        kwargs={"stop": threading.Event()},
        name="worker-heartbeat",
        daemon=True,
    )
    thread.start()


def _redis() -> Redis:
    return Redis.from_url(
        settings.CELERY_BROKER_URL,
        socket_connect_timeout=TIMEOUT,
        socket_timeout=TIMEOUT,
    )
