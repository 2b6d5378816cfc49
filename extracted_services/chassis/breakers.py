"""Circuit breakers whose state every process of a service shares, kept in Redis.

A service runs as several processes (gunicorn workers, Celery workers). With a
breaker in each, each must see a dependency fail for itself before it stops calling,
and each keeps answering 503 for its own reset timeout, even once another process
has seen the dependency answer again. Here the failure count, the state and the time
it opened live in the service's Redis (pybreaker's ``CircuitRedisStorage``), so all
the processes of a service open, try again and close together.

pybreaker's storage asks Redis twice on every call, even when all is well: the state
before it, and a reset of the failure count after it. On the gateway's hop those two
round trips were about a sixth of its time in a forwarded call (cProfile). So a
process trusts its last reading of a closed breaker for
``CLOSED_READING_TTL`` seconds, and resets the count only when its reading says there
is something to reset: a healthy call asks Redis nothing. What stays shared, at once:
every failure is counted in Redis as it happens, and every change of state is written
there; a breaker that is open or half-open is read afresh on every call.
"""

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import pybreaker
from django.conf import settings
from redis import Redis
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

logger = logging.getLogger(__name__)

# Seconds to wait for Redis. It is asked on every call while a breaker is not closed,
# so a Redis that hangs must cost a call a fraction of a second at most, never its own
# retries with backoff.
REDIS_TIMEOUT = 0.25
# How long a process trusts a reading that said "closed": another process's breaker
# opening reaches this one that much later at most. A failure here is counted in Redis
# at once, so a process that keeps calling a dead dependency on an old reading opens
# the breaker itself after fail_max failures. An eighth of the services' reset timeout
# (2 s): at most four reads a second per process, whatever the traffic.
CLOSED_READING_TTL = 0.25


@dataclass(frozen=True)
class Reading:
    """What a process last knew of a shared breaker, and when (``time.monotonic``)."""

    state: str
    failures: int
    at: float

    def trusted(self) -> bool:
        """Closed and recent: good enough to call on without asking Redis again."""
        fresh = time.monotonic() - self.at < CLOSED_READING_TTL
        return self.state == pybreaker.STATE_CLOSED and fresh


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
    at all. Three changes to pybreaker's storage: making one never fails (pybreaker
    writes the first values unguarded); the time it opened is kept to the
    millisecond, not the second, since a reset timeout is only a couple of seconds;
    and a reading of a closed breaker is trusted for a moment (``Reading``, and the
    module's docstring for why).
    """

    def __init__(self, state: str, redis: Redis, *, namespace: str):
        # Nothing read yet: the first call asks Redis (pybreaker's init reads at once).
        self._reading = Reading(pybreaker.STATE_CLOSED, 0, at=float("-inf"))
        super().__init__(state, redis, namespace=namespace)

    @property
    def state(self) -> str:
        """The shared state: from the last reading while it is trusted, else Redis."""
        reading = self._reading  # one read: another thread may replace it meanwhile
        if reading.trusted():
            return reading.state
        return self._read().state

    @state.setter
    def state(self, state: str) -> None:
        try:
            self._redis.set(self._namespace("state"), state)
        except RedisError as exc:
            logger.warning(
                "breaker %s: Redis unavailable (%r)", self._namespace_name, exc
            )
        # This process made the change: it knows the new state without reading it.
        self._reading = Reading(state, self._reading.failures, at=time.monotonic())

    def increment_counter(self) -> None:
        # INCR answers the new count: the next reading knows it without asking.
        try:
            failures = int(self._redis.incr(self._namespace("fail_counter")))
        except RedisError as exc:
            logger.warning(
                "breaker %s: Redis unavailable (%r)", self._namespace_name, exc
            )
            return
        reading = self._reading
        self._reading = Reading(reading.state, failures, at=reading.at)

    def reset_counter(self) -> None:
        # pybreaker resets after every successful call: with no failure counted, as
        # far as a trusted reading knows, there is nothing to write.
        reading = self._reading
        if reading.trusted() and reading.failures == 0:
            return
        super().reset_counter()
        self._reading = Reading(reading.state, 0, at=reading.at)

    def _read(self) -> Reading:
        """The state and the failure count, in one round trip to Redis."""
        try:
            state, failures = self._redis.mget(
                self._namespace("state"), self._namespace("fail_counter")
            )
        except RedisError as exc:
            # Read as closed (pybreaker's fallback), and trusted for as long as any
            # reading: a Redis that hangs costs a timeout now and then, not on every
            # call.
            logger.warning(
                "breaker %s: Redis unavailable (%r)", self._namespace_name, exc
            )
            state, failures = None, None
        else:
            if state is None:  # forgotten (breakers_reset): start again, closed
                self._initialize_redis_state(self._fallback_circuit_state)
        known = state.decode() if isinstance(state, bytes) else None
        reading = Reading(
            known or self._fallback_circuit_state, int(failures or 0), time.monotonic()
        )
        self._reading = reading
        return reading

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
