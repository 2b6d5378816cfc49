"""The bare loopback round trip: a WSGI "hello" with no framework at all.

The hop scenario serves this module under the same gunicorn command and config as
every Django process (``compose/gunicorn.conf.py``, the same workers and threads), so
that what it measures is gunicorn, the loopback socket and the load generator, and
nothing else. Django's floor (``/healthz``) and one call through the gateway are then
stated as multiples of it (``bench/hop.py``).

It answers every path, ``/readyz`` included (the harness waits on that), with the same
small JSON body as the services' ``/healthz``.
"""

from collections.abc import Callable, Iterable

BODY = b'{"status": "ok"}'
HEADERS = [
    ("Content-Type", "application/json"),
    ("Content-Length", str(len(BODY))),
]


def application(
    environ: dict, start_response: Callable[[str, list[tuple[str, str]]], object]
) -> Iterable[bytes]:
    """Answer 200 with ``BODY`` to any request, reading nothing of it."""
    start_response("200 OK", HEADERS)
    return [BODY]
