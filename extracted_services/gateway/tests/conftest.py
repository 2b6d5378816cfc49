"""Fixtures for the gateway: a real HTTP server on loopback stands in for a service.

Run: ``python dev.py test --service gateway``.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from rest_framework.test import APIClient

from extracted_services.chassis.breakers import breakers_reset
from extracted_services.gateway import proxy


class _Upstream(BaseHTTPRequestHandler):
    """Answers every request with what it received, and sets two cookies."""

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        self.server.calls.append((self.command, self.path, dict(self.headers), body))
        content = json.dumps({"path": self.path, "body": body}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Location", "/api/orders/5/")
        self.send_header("X-Served-By", "stand-in")
        self.send_header("Set-Cookie", "sessionid=abc; Path=/; HttpOnly")
        self.send_header("Set-Cookie", "csrftoken=xyz; Path=/")
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    do_GET = do_POST = do_DELETE = _answer

    def log_message(self, *args):
        pass  # the test reads server.calls instead


def _fresh_upstreams() -> None:
    # New connections for new addresses; breakers (shared in Redis) closed again.
    proxy._upstreams.clear()
    breakers_reset()


@pytest.fixture
def upstream(settings):
    """Every service the gateway forwards to, played by one loopback server."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Upstream)
    server.calls = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    settings.SERVICE_URLS = {name: url for name in settings.SERVICE_URLS}
    _fresh_upstreams()  # fresh connections and breakers for this address
    yield server
    server.shutdown()
    server.server_close()
    _fresh_upstreams()


@pytest.fixture
def nothing_upstream(settings):
    """Every service at a port where nothing listens."""
    settings.SERVICE_URLS = {
        name: "http://127.0.0.1:9" for name in settings.SERVICE_URLS
    }
    _fresh_upstreams()
    yield
    _fresh_upstreams()


@pytest.fixture
def api():
    return APIClient()
