"""Publish events to a durable Redis stream (XADD): every subscriber reads them all.

A task (``tasks.py``) goes to one queue and one worker takes it. An event goes to a
stream, which keeps it: each subscriber reads the whole stream through a consumer
group of its own (XREADGROUP, XACK), so a new subscriber can start from the first entry.
"""

from functools import cache

from django.conf import settings
from redis import Redis
from redis.typing import EncodableT, FieldT


@cache
def _redis(url: str) -> Redis:
    # One connection pool per URL and process, made on first use (not at import).
    return Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)


def stream_add(stream: str, *, fields: dict[str, str]) -> str:
    """Append one entry to ``stream``; return the id Redis gave it.

    No MAXLEN: the stream is never trimmed, so any subscriber can be rebuilt from
    its first entry. (A shop with millions of orders would trim by age instead,
    once every subscriber has a snapshot to start from.)
    """
    entry: dict[FieldT, EncodableT] = {key: value for key, value in fields.items()}
    entry_id = _redis(settings.REDIS_URL).xadd(stream, entry)
    return entry_id.decode() if isinstance(entry_id, bytes) else str(entry_id)
