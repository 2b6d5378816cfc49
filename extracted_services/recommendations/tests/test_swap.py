"""A new model swapped in under load: every request answered, none dropped.

A real uvicorn server (in a thread of the test) is hammered by several client
threads while new artifacts are published one after another. The next version is
published only once every client has been served the current one, so each swap
happens under all the clients' load however slow the machine is: the test counts
versions seen, never requests per second.
"""

import socket
import threading
from collections import Counter
from http import HTTPStatus

import httpx
import pytest
import uvicorn

from extracted_services.recommendations.main import create_app
from extracted_services.recommendations.model import Model, build, save

from .conftest import wait_until

CLIENTS = 6
VERSIONS = 15


@pytest.fixture
def first(settings) -> Model:
    """The model the server starts with: loaded before its first request."""
    model = build([(0, 1, 1), (0, 2, 1)])
    save(model, settings.model_dir)
    return model


@pytest.fixture
def server(settings, first):
    """The app under uvicorn on a free loopback port; its base URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_config=None
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    assert wait_until(lambda: server.started)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_a_model_swap_under_load_drops_no_request(server, settings, first):
    """Clients never see an error while 15 versions replace each other."""
    stop = threading.Event()
    statuses: Counter[int] = Counter()
    # What each client has been served: one set per client thread.
    seen_by: list[set[str]] = [set() for _ in range(CLIENTS)]
    errors: list[str] = []
    lock = threading.Lock()

    def hammer(seen: set[str]) -> None:
        with httpx.Client(base_url=server, timeout=5) as client:
            while not stop.is_set():
                try:
                    response = client.get(
                        "/api/recommendations/", params={"product_id": 1}
                    )
                except httpx.HTTPError as exc:
                    with lock:
                        errors.append(repr(exc))
                    continue
                with lock:
                    statuses[response.status_code] += 1
                    if response.status_code == HTTPStatus.OK:
                        seen.add(response.json()["model"]["version"])

    def everyone_has(version: str) -> bool:
        with lock:
            return all(version in seen for seen in seen_by)

    threads = [threading.Thread(target=hammer, args=(seen,)) for seen in seen_by]
    for thread in threads:
        thread.start()
    published = [first.version]
    try:
        for n in range(1, VERSIONS + 1):
            # Each version learns one more order buying product 1 with another.
            lines = [(order, 1, 1) for order in range(n)]
            lines += [(order, order + 2, 1) for order in range(n)]
            model = build(lines)
            save(model, settings.model_dir)
            published.append(model.version)
            assert wait_until(lambda version=model.version: everyone_has(version))
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=10)

    assert errors == []
    assert set(statuses) == {HTTPStatus.OK}
    # Every client was served every version: at least one request each per swap.
    assert sum(statuses.values()) >= VERSIONS * CLIENTS
    versions_seen: set[str] = set().union(*seen_by)
    assert versions_seen <= set(published)  # whole models only, each one published
