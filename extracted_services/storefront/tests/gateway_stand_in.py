"""A stand-in for the gateway: canned JSON answers over real HTTP, every call recorded.

A threaded server on a loopback port, in the test process. A test says what each
path answers (``answer``) or how (``on``, with a function of the call), then reads
``calls`` to see what the storefront asked, with which headers and in what order.
"""

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PROBLEM = "application/problem+json"


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # names in lower case
    body: dict | None


@dataclass(frozen=True)
class Answer:
    status: int = HTTPStatus.OK
    body: object = None
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[Call], Answer]


@dataclass
class GatewayStandIn:
    url: str = ""
    routes: dict[tuple[str, str], Handler] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    in_flight: int = 0
    most_in_flight: int = 0  # how many requests were ever being answered at once
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(
        self, method: str, path: str, body=None, status=HTTPStatus.OK, **headers
    ):
        self.routes[(method, path)] = lambda call: Answer(status, body, headers)

    def on(self, method: str, path: str, handler: Handler) -> None:
        self.routes[(method, path)] = handler

    def calls_to(self, path: str, method: str = "GET") -> list[Call]:
        return [c for c in self.calls if c.path == path and c.method == method]

    def handle(self, call: Call) -> Answer:
        with self.lock:
            self.calls.append(call)
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            handler = self.routes.get((call.method, call.path))
            if handler is None:
                return problem(HTTPStatus.NOT_FOUND, "No such resource.")
            return handler(call)
        finally:
            with self.lock:
                self.in_flight -= 1


def problem(status: int, detail: str, **extra) -> Answer:
    """An RFC 9457 problem answer, as the services send them."""
    body = {
        "type": extra.pop("type", "about:blank"),
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        **extra,
    }
    return Answer(status, body, {"Content-Type": PROBLEM})


def serve(stand_in: GatewayStandIn) -> ThreadingHTTPServer:
    """Start answering on a free loopback port; ``server.shutdown()`` stops it."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as httpx's pool expects

        def _answer(self):
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            call = Call(
                method=self.command,
                path=parts.path,
                query={k: v[-1] for k, v in parse_qs(parts.query).items()},
                headers={k.lower(): v for k, v in self.headers.items()},
                body=json.loads(raw) if raw else None,
            )
            answer = stand_in.handle(call)
            content = b"" if answer.body is None else json.dumps(answer.body).encode()
            self.send_response(answer.status)
            headers = {"Content-Type": "application/json", **answer.headers}
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        do_GET = do_POST = do_DELETE = _answer

        def log_message(self, format, *args):  # quiet: the calls are recorded
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    stand_in.url = f"http://127.0.0.1:{server.server_address[1]}"
    # A short poll interval: shutdown() waits for one, at the end of every test.
    forever = partial(server.serve_forever, poll_interval=0.01)
    threading.Thread(target=forever, daemon=True).start()
    return server
