"""ServiceClient against a real HTTP server on loopback: headers, retries, timeouts,
and the circuit breaker's three states."""

import contextlib
import time
from http import HTTPStatus

import pybreaker
import pytest
from django.conf import settings

from extracted_services.chassis.auth import service_caller
from extracted_services.chassis.breakers import breakers_reset
from extracted_services.chassis.http import ServiceClient, client_for
from extracted_services.chassis.problems import ServiceUnavailable

from .conftest import wait_until

RESET_TIMEOUT = 0.3  # seconds the breaker stays open in these tests


@pytest.fixture
def make_client():
    """A ServiceClient of the test's own, closed afterwards; its breaker starts
    closed (breakers live in Redis, shared by every client of a service)."""
    breakers_reset()
    clients: list[ServiceClient] = []

    def make(url: str, **options) -> ServiceClient:
        client = ServiceClient("catalog", url, **options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.http.close()
    breakers_reset()


def test_calls_carry_the_request_id_and_a_service_token(
    make_client, stand_in, request_id
):
    """The callee sees the caller's request id and a token naming the caller, for it."""
    response = make_client(stand_in.url).get("/api/products/", params={"page": 2})

    assert response.status_code == HTTPStatus.OK
    (received,) = stand_in.received
    assert received.path == "/api/products/?page=2"
    assert received.headers["X-Request-ID"] == request_id
    token = received.headers["X-Service-Token"]
    assert service_caller(token, audience="catalog") == settings.SERVICE_NAME


def test_a_post_sends_its_json_body(make_client, stand_in):
    """json= goes out as a JSON body."""
    make_client(stand_in.url).post("/internal/reservations/", json={"a": 1})

    (received,) = stand_in.received
    assert received.method == "POST"
    assert received.body == b'{"a":1}'
    assert received.headers["Content-Type"] == "application/json"


def test_client_errors_are_returned_not_raised(make_client, stand_in):
    """A 4xx is the callee's answer: returned at once, never retried."""
    stand_in.script(HTTPStatus.CONFLICT)

    response = make_client(stand_in.url).get("/x")

    assert response.status_code == HTTPStatus.CONFLICT
    assert len(stand_in.received) == 1


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_idempotent_calls_are_retried_on_503(make_client, stand_in, method):
    """Two 503s then a 200: the caller sees only the 200."""
    stand_in.script(HTTPStatus.SERVICE_UNAVAILABLE, HTTPStatus.BAD_GATEWAY)

    response = make_client(stand_in.url, retries=2).request(method, "/x")

    assert response.status_code == HTTPStatus.OK
    assert [r.method for r in stand_in.received] == [method] * 3


def test_a_post_is_never_retried(make_client, stand_in):
    """A POST may have taken effect: one try, then ServiceUnavailable."""
    stand_in.script(HTTPStatus.SERVICE_UNAVAILABLE, HTTPStatus.SERVICE_UNAVAILABLE)

    with pytest.raises(ServiceUnavailable):
        make_client(stand_in.url, retries=2).post("/x", json={})

    assert len(stand_in.received) == 1


def test_a_post_marked_idempotent_is_retried(make_client, stand_in):
    """idempotent=True: the callee promised a repeat does nothing more."""
    stand_in.script(HTTPStatus.SERVICE_UNAVAILABLE)

    response = make_client(stand_in.url).post("/x", json={}, idempotent=True)

    assert response.status_code == HTTPStatus.OK
    assert len(stand_in.received) == 2


def test_retries_are_bounded(make_client, stand_in):
    """Still failing after its retries: ServiceUnavailable with Retry-After."""
    stand_in.script(*[HTTPStatus.GATEWAY_TIMEOUT] * 5)

    with pytest.raises(ServiceUnavailable) as raised:
        make_client(stand_in.url, retries=2).get("/x")

    assert len(stand_in.received) == 3
    assert raised.value.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert raised.value.headers == {"Retry-After": "5"}
    assert raised.value.extra == {"service": "catalog"}


def test_a_500_is_not_retried(make_client, stand_in):
    """A 500 is a bug at the callee, not a passing fault: no retry."""
    stand_in.script(HTTPStatus.INTERNAL_SERVER_ERROR)

    with pytest.raises(ServiceUnavailable):
        make_client(stand_in.url).get("/x")

    assert len(stand_in.received) == 1


def test_a_refused_connection_is_service_unavailable(make_client, closed_url):
    """Nothing listening: ServiceUnavailable, after the retries."""
    with pytest.raises(ServiceUnavailable):
        make_client(closed_url, retries=1).get("/x")


def test_a_slow_answer_times_out(make_client, stand_in):
    """The callee takes 5 s; the caller gives up after its timeout."""
    stand_in.script(HTTPStatus.OK, delay=5)
    started = time.monotonic()

    with pytest.raises(ServiceUnavailable) as raised:
        make_client(stand_in.url, timeout=0.2, retries=0).get("/slow")

    assert time.monotonic() - started < 2
    assert "Timeout" in type(raised.value.__cause__).__name__


def test_a_timeout_is_not_retried(make_client, stand_in):
    """A callee too slow for one timeout is not asked again: one wait, not three."""
    stand_in.script(HTTPStatus.OK, delay=1)

    with pytest.raises(ServiceUnavailable):
        make_client(stand_in.url, timeout=0.2, retries=2).get("/slow")

    assert len(stand_in.received) == 1


def test_the_breaker_opens_after_fail_max_failures(make_client, stand_in):
    """After fail_max failed calls the callee is not called at all."""
    stand_in.script(*[HTTPStatus.SERVICE_UNAVAILABLE] * 3)
    client = make_client(stand_in.url, retries=0, fail_max=3, reset_timeout=60)
    for _ in range(3):
        with pytest.raises(ServiceUnavailable):
            client.get("/x")

    with pytest.raises(ServiceUnavailable) as raised:
        client.get("/x")

    assert client.breaker.current_state == pybreaker.STATE_OPEN
    assert isinstance(raised.value.__cause__, pybreaker.CircuitBreakerError)
    assert len(stand_in.received) == 3


def test_the_breaker_half_opens_after_reset_timeout(make_client, stand_in):
    """Once reset_timeout has passed, one trial call goes through and closes it."""
    stand_in.script(HTTPStatus.SERVICE_UNAVAILABLE, HTTPStatus.SERVICE_UNAVAILABLE)
    client = make_client(
        stand_in.url, retries=0, fail_max=2, reset_timeout=RESET_TIMEOUT
    )
    for _ in range(2):
        with pytest.raises(ServiceUnavailable):
            client.get("/x")
    assert client.breaker.current_state == pybreaker.STATE_OPEN

    answers = []

    def trial_went_through() -> bool:
        try:
            answers.append(client.get("/x"))
        except ServiceUnavailable:
            return False
        return True

    assert wait_until(trial_went_through)
    assert answers[-1].status_code == HTTPStatus.OK
    assert len(stand_in.received) == 3  # while open, nothing reached the callee
    assert client.breaker.current_state == pybreaker.STATE_CLOSED


def test_a_failed_trial_opens_the_breaker_again(make_client, stand_in):
    """Half-open, the trial fails: open again, for another reset_timeout."""
    stand_in.script(*[HTTPStatus.SERVICE_UNAVAILABLE] * 3)
    client = make_client(
        stand_in.url, retries=0, fail_max=2, reset_timeout=RESET_TIMEOUT
    )
    for _ in range(2):
        with pytest.raises(ServiceUnavailable):
            client.get("/x")

    assert wait_until(lambda: _calls_reach(client, stand_in, 3))
    assert client.breaker.current_state == pybreaker.STATE_OPEN
    with pytest.raises(ServiceUnavailable):
        client.get("/x")
    assert len(stand_in.received) == 3


def _calls_reach(client: ServiceClient, stand_in, count: int) -> bool:
    # One call through the breaker; true once the callee has seen ``count``.
    with contextlib.suppress(ServiceUnavailable):
        client.get("/x")
    return len(stand_in.received) >= count


def test_client_for_gives_one_client_per_service():
    """Same name, same client (one pool, one breaker), at the configured URL."""
    client = client_for("payments")

    assert client_for("payments") is client
    assert str(client.http.base_url) == settings.SERVICE_URLS["payments"]
    assert client.http.timeout.read == settings.HTTP_TIMEOUT
