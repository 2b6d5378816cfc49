"""Fixtures for the chassis: a real HTTP server on loopback, tokens, a send recorder.

Run: ``python dev.py test --service chassis``.
Nothing here publishes to the shared Redis: the outbox's ``send_task`` is replaced
by a recorder.
"""

import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from extracted_services.chassis import outbox, testing_tokens
from extracted_services.chassis.request_id import current_request_id
from extracted_services.chassis.testing_tokens import StackKeys

DEADLINE = 5.0  # seconds a poll may wait before the test fails


def wait_until(condition: Callable[[], bool], *, timeout: float = DEADLINE) -> bool:
    """Poll ``condition`` until it holds or the deadline passes; return the result."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        threading.Event().wait(0.01)
    return condition()


@dataclass
class Answer:
    status: int = 200
    delay: float = 0.0  # seconds to hold the answer back (for timeouts)


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class StandIn:
    """Another service, as far as a client can tell: it answers what it is told to.

    ``answers`` is a script, one per request, then 200 for every request after.
    """

    answers: list[Answer] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    url: str = ""
    released: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def script(self, *statuses: int, delay: float = 0.0) -> None:
        self.answers.extend(Answer(status, delay) for status in statuses)

    def take(self, received: Received) -> Answer:
        with self.lock:
            self.received.append(received)
            return self.answers.pop(0) if self.answers else Answer()


def _handler_for(stand_in: StandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            received = Received(
                method=self.command,
                path=self.path,
                headers=dict(self.headers.items()),
                body=self.rfile.read(length),
            )
            answer = stand_in.take(received)
            if answer.delay:
                # Released at teardown, so a slow answer never outlives its test.
                stand_in.released.wait(answer.delay)
            body = json.dumps({"status": answer.status}).encode()
            try:
                self.send_response(answer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:  # the client gave up waiting (the timeout test)
                pass

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _answer

        def log_message(self, format, *args):  # keep the test output quiet
            pass

    return Handler


@pytest.fixture
def stand_in():
    """A service on a free loopback port that answers as scripted."""
    service = StandIn()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(service))
    server.daemon_threads = True
    service.url = f"http://127.0.0.1:{server.server_address[1]}"
    # A short poll, so that shutdown() at teardown returns at once.
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    yield service
    service.released.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def closed_url() -> str:
    """A loopback address with nothing listening: every call there is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # free again once the socket closes
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def request_id():
    """Run the test as if serving request ``req-under-test``."""
    token = current_request_id.set("req-under-test")
    yield "req-under-test"
    current_request_id.reset(token)


def user_token(**overrides) -> str:
    """A gateway access token for user 7 (signed with this run's key); keyword
    arguments replace claims."""
    return testing_tokens.user_token(StackKeys(settings.KEYS_DIR), **overrides)


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@dataclass(frozen=True)
class Sent:
    task_name: str
    kwargs: dict
    queue: str
    request_id: str


@pytest.fixture
def sent(monkeypatch) -> list[Sent]:
    """What the outbox relay publishes, recorded instead of sent to Redis."""
    messages: list[Sent] = []

    def record(name, *, kwargs, queue):
        messages.append(Sent(name, kwargs, queue, current_request_id.get()))

    monkeypatch.setattr(outbox, "send_task", record)
    return messages
