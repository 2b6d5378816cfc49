"""Circuit breakers shared by every process of a service (chassis/breakers.py), on
the real Redis: two clients of one service stand for two of its gunicorn workers."""

from collections.abc import Iterator
from http import HTTPStatus

import pybreaker
import pytest

from extracted_services.chassis import breakers
from extracted_services.chassis.breakers import breakers_reset
from extracted_services.chassis.http import ServiceClient
from extracted_services.chassis.problems import ServiceUnavailable

from .conftest import StandIn, wait_until

RESET_TIMEOUT = 0.3  # seconds the breaker stays open in these tests
FAIL_MAX = 2
DOWN = HTTPStatus.SERVICE_UNAVAILABLE


def worker(url: str, *, name: str = "catalog", **options) -> ServiceClient:
    """One worker's client: no retries, so each failed call counts once."""
    options = {"fail_max": FAIL_MAX, "reset_timeout": RESET_TIMEOUT, **options}
    return ServiceClient(name, url, retries=0, **options)


@pytest.fixture(autouse=True)
def closed_breakers() -> Iterator[None]:
    """Every test starts, and leaves, with this service's breakers closed."""
    breakers_reset()
    yield
    breakers_reset()


def open_the_breaker(client: ServiceClient, stand_in: StandIn) -> None:
    stand_in.script(*[DOWN] * FAIL_MAX)
    for _ in range(FAIL_MAX):
        with pytest.raises(ServiceUnavailable):
            client.get("/x")


def test_a_breaker_one_worker_opens_is_open_for_the_other(stand_in):
    """Worker one sees the failures; worker two, once its last reading ("closed",
    when it was made) is older than CLOSED_READING_TTL, does not call at all."""
    one, two = worker(stand_in.url), worker(stand_in.url)
    open_the_breaker(one, stand_in)

    # Asking the state calls nobody: only Redis, once the old reading has expired.
    assert wait_until(lambda: two.breaker.current_state == pybreaker.STATE_OPEN)
    with pytest.raises(ServiceUnavailable) as raised:
        two.get("/x")

    assert isinstance(raised.value.__cause__, pybreaker.CircuitBreakerError)
    assert two.breaker.current_state == pybreaker.STATE_OPEN
    assert len(stand_in.received) == FAIL_MAX


def test_once_one_workers_trial_call_succeeds_the_other_calls_at_once(stand_in):
    """The dependency is back: one worker's trial call closes the breaker, and the
    other's next call goes through without waiting out a pause of its own (its
    reset timeout is a minute: only the shared state can let it call this soon)."""
    one, two = worker(stand_in.url), worker(stand_in.url, reset_timeout=60)
    open_the_breaker(one, stand_in)
    assert wait_until(lambda: two.breaker.current_state == pybreaker.STATE_OPEN)
    with pytest.raises(ServiceUnavailable):
        two.get("/x")  # open for two as well

    assert wait_until(lambda: _went_through(one))
    response = two.get("/x")

    assert response.status_code == HTTPStatus.OK
    assert two.breaker.current_state == pybreaker.STATE_CLOSED
    assert len(stand_in.received) == FAIL_MAX + 2  # one's trial, then two's call


def test_a_healthy_call_asks_redis_nothing_while_the_reading_is_trusted(
    stand_in, monkeypatch
):
    """The reason for the reading: a closed breaker's calls cost no Redis round trip
    (pybreaker's storage makes two on every call)."""
    monkeypatch.setattr(breakers, "CLOSED_READING_TTL", 60.0)
    client = worker(stand_in.url)
    redis = CountingRedis(client.breaker._state_storage._redis)
    client.breaker._state_storage._redis = redis

    for _ in range(5):
        client.get("/x")

    assert len(stand_in.received) == 5
    assert redis.commands == []


def test_a_failure_is_counted_in_redis_at_once(stand_in, monkeypatch):
    """However long a reading is trusted, a failure is shared as it happens: one
    failure in each of two workers opens the breaker (fail_max 2)."""
    monkeypatch.setattr(breakers, "CLOSED_READING_TTL", 60.0)
    one, two = worker(stand_in.url), worker(stand_in.url)
    stand_in.script(DOWN, DOWN)

    with pytest.raises(ServiceUnavailable):
        one.get("/x")
    with pytest.raises(ServiceUnavailable) as raised:
        two.get("/x")

    assert isinstance(raised.value.__cause__, pybreaker.CircuitBreakerError)
    assert one.breaker.fail_counter == FAIL_MAX  # read from Redis, not remembered


def test_a_breaker_is_per_dependency(stand_in):
    """Catalog's breaker open: the same service's calls to orders still go out."""
    open_the_breaker(worker(stand_in.url, name="catalog"), stand_in)

    response = worker(stand_in.url, name="orders").get("/x")

    assert response.status_code == HTTPStatus.OK


def test_two_stacks_sharing_a_redis_never_share_a_breaker(stand_in, settings):
    """Another stack's service (another cache prefix) keeps its own breaker."""
    open_the_breaker(worker(stand_in.url), stand_in)
    cache = settings.CACHES["default"]
    settings.CACHES = {"default": {**cache, "KEY_PREFIX": f"{cache['KEY_PREFIX']}-b"}}

    try:
        response = worker(stand_in.url).get("/x")
    finally:
        breakers_reset()  # the other stack's, left closed too

    assert response.status_code == HTTPStatus.OK


def test_with_redis_down_calls_go_through(stand_in, settings, closed_url):
    """A breaker that cannot read its state lets calls through: a Redis that is down
    makes the breaker forget, not every call fail."""
    settings.REDIS_URL = closed_url.replace("http://", "redis://")
    client = worker(stand_in.url, fail_max=1)  # with Redis up, one failure opens it
    stand_in.script(DOWN)

    with pytest.raises(ServiceUnavailable) as raised:
        client.get("/x")
    response = client.get("/x")

    assert not isinstance(raised.value.__cause__, pybreaker.CircuitBreakerError)
    assert response.status_code == HTTPStatus.OK
    assert len(stand_in.received) == 2


class CountingRedis:
    """A Redis client that notes the name of every command sent through it."""

    def __init__(self, redis):
        self.redis = redis
        self.commands: list[str] = []

    def __getattr__(self, name):
        command = getattr(self.redis, name)

        def counted(*args, **kwargs):
            self.commands.append(name)
            return command(*args, **kwargs)

        return counted


def _went_through(client: ServiceClient) -> bool:
    # One call through the breaker; true once it reached the callee and succeeded.
    try:
        return client.get("/x").status_code == HTTPStatus.OK
    except ServiceUnavailable:
        return False
