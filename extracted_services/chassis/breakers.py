"""Circuit breakers whose state every process of a service shares, kept in Redis.

A service runs as several processes (gunicorn workers, Celery workers). With a
breaker in each, each must see a dependency fail for itself before it stops calling,
and each keeps answering 503 for its own reset timeout, even once another process
has seen the dependency answer again. Here the failure count, the state and the time
it opened live in the service's Redis (pybreaker's ``CircuitRedisStorage``), so all
the processes of a service open, try again and close together.
"""

import logging
from datetime import UTC, datetime

import pybreaker
from django.conf import settings
from redis import Redis
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

logger = logging.getLogger(__name__)

# Seconds to wait for Redis. It is asked on every call, so a Redis that hangs must
# cost each call a fraction of a second at most, never its own retries with backoff.
REDIS_TIMEOUT = 0.25


class CircuitBreaker(pybreaker.CircuitBreaker):
    """pybreaker's breaker, without its lock around the call itself.

    pybreaker holds one lock for the whole of ``call``, so a process would make only
    one call at a time to each service: a page's calls in parallel would queue, and
    a gateway would forward one request at a time. Without it, the counters may miss
    a beat under load (two failures counted as one), which a breaker can live with.
    """

    def call(self, func, *args, **kwargs):
        return self.state.call(func, *args, **kwargs)


class SharedStorage(pybreaker.CircuitRedisStorage):
    """pybreaker's Redis storage, made safe for a Redis that is down.

    A breaker that cannot read its state reads it as closed (pybreaker's fallback):
    with Redis down, calls go through as if there were no breaker, rather than not
    at all. Two changes to pybreaker's storage: making one never fails (pybreaker
    writes the first values unguarded), and the time it opened is kept to the
    millisecond, not the second, since a reset timeout is only a couple of seconds.
    """

    def _initialize_redis_state(self, state: str) -> None:
        try:
            super()._initialize_redis_state(state)
        except RedisError as exc:
            logger.warning(
                "breaker %s: Redis unavailable (%r)", self._namespace_name, exc
            )

    @property
    def opened_at(self) -> datetime | None:
        try:
            value = self._redis.get(self._namespace("opened_at"))
        except RedisError:
            return None  # read as "long ago": the next call is a trial
        return datetime.fromtimestamp(float(value), UTC) if value else None

    @opened_at.setter
    def opened_at(self, now: datetime) -> None:
        try:
            self._redis.set(self._namespace("opened_at"), now.timestamp())
        except RedisError as exc:
            logger.warning(
                "breaker %s: Redis unavailable (%r)", self._namespace_name, exc
            )


def shared_breaker(
    dependency: str, *, fail_max: int, reset_timeout: float
) -> CircuitBreaker:
    """The breaker for this service's calls to ``dependency``, shared by its processes.

    Its keys are named after this service's cache prefix and the dependency, so two
    stacks sharing one Redis (a test run beside ``make run``) never share a breaker.
    """
    storage = SharedStorage(
        pybreaker.STATE_CLOSED, _redis(), namespace=_namespace(dependency)
    )
    return CircuitBreaker(
        fail_max=fail_max,
        reset_timeout=reset_timeout,
        state_storage=storage,
        name=dependency,
    )


def breakers_reset() -> None:
    """Close every breaker of this service, in every process, by forgetting them.

    For tests that point a service at a new stand-in, and for an operator who has
    fixed a dependency and would rather not wait for the reset timeout.
    """
    redis = _redis()
    keys = list(redis.scan_iter(match=f"{_namespace('')}*"))
    if keys:
        redis.delete(*keys)


def _namespace(dependency: str) -> str:
    # The service's cache prefix is already unique per service and per stack
    # (CACHE_KEY_PREFIX); the service's name is the fallback.
    prefix = settings.CACHES["default"].get("KEY_PREFIX") or settings.SERVICE_NAME
    return f"{prefix}:breaker:{dependency}"


def _redis() -> Redis:
    return Redis.from_url(
        settings.REDIS_URL,
        socket_connect_timeout=REDIS_TIMEOUT,
        socket_timeout=REDIS_TIMEOUT,
        retry=Retry(NoBackoff(), retries=0),
    )
