"""Card numbers rest nowhere: after real orders, no file, Redis key or message has one.

Orders are placed with the contract's test cards (approved and both declines), typed
three ways, and with a number that fails the Luhn check, then waited for until final.
Every command the stack sends to Redis meanwhile is watched (MONITOR), and afterwards
every file in the stack's working folder (each SQLite database with its -wal and -shm
files, read as raw bytes so free pages count; every log; the mail folder) and every
Redis key the stack owns are searched for each number, as digits and as people type
it. The only place a number may exist is the memory of the process that charges it.
A stack this run did not start (its files are elsewhere) is skipped.
"""

import base64
import binascii
import re
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from pathlib import Path

import pytest
from redis import Redis

from tests.harness.stack import Stack

from .helpers import (
    APPROVED_CARD,
    DECLINED_CARD,
    INSUFFICIENT_FUNDS_CARD,
    create_product,
    place_order,
    settled_order,
)

CARDS = (APPROVED_CARD, DECLINED_CARD, INSUFFICIENT_FUNDS_CARD)
NOT_A_CARD = "4242424242424241"  # fails the Luhn check: refused, but typed all the same
# Celery's Redis transport keeps a message's body base64-encoded: decode such runs.
BASE64_RUN = re.compile(rb"[A-Za-z0-9+/_-]{24,}={0,2}")
# Celery's own bookkeeping keys, shared by every stack on one Redis.
UNACKED = (b"unacked", b"unacked_index")


def _spellings(number: str) -> dict[bytes, str]:
    """The number as digits, and in groups of four with spaces or dashes."""
    groups = [number[i : i + 4] for i in range(0, len(number), 4)]
    return {
        spelling.encode(): number
        for spelling in (number, " ".join(groups), "-".join(groups))
    }


NEEDLES = {
    needle: number
    for number in (*CARDS, NOT_A_CARD)
    for needle, number in _spellings(number).items()
}


def _found(data: bytes) -> Counter[str]:
    """How often each card number is in ``data``, plain or inside base64 text."""
    found: Counter[str] = Counter()
    for text in (data, *_base64_decoded(data)):
        for needle, number in NEEDLES.items():
            found[number] += text.count(needle)
    return +found  # only the numbers found


def _base64_decoded(data: bytes) -> Iterator[bytes]:
    for run in BASE64_RUN.findall(data):
        padded = run + b"=" * (-len(run) % 4)
        for decode in (base64.b64decode, base64.urlsafe_b64decode):
            try:
                yield decode(padded)
            except (binascii.Error, ValueError):
                continue


def _stack_names(stack: Stack) -> tuple[Path, str]:
    """The stack's working folder, and the unique prefix of its Redis keys."""
    if not stack.processes:
        pytest.skip("scans the files and keys of a stack started by this test run")
    env = stack.processes[0].env
    # Queues and cache keys are named "<unique>..." by tests/harness.
    queue = env.get("ORDERS_QUEUE") or env["CELERY_QUEUE"]
    return stack.processes[0].log.parent, queue.removesuffix("-orders")


def _files_scan(workdir: Path) -> dict[str, Counter[str]]:
    """Every file of the stack, raw: databases with their WAL, logs, mail, models."""
    findings = {}
    for path in sorted(workdir.rglob("*")):
        if path.is_file() and (found := _found(path.read_bytes())):
            findings[str(path.relative_to(workdir))] = found
    return findings


def _redis_scan(redis: Redis, unique: str) -> dict[str, Counter[str]]:
    """Every key the stack owns (queues, streams, caches), read whole, by type."""
    findings = {}
    keys = [*redis.scan_iter(f"*{unique}*"), *UNACKED]
    for key in keys:
        values = _redis_values(redis, key)
        if key in UNACKED:  # shared by every stack: only the entries of this one
            values = [value for value in values if unique.encode() in value]
        if found := sum((_found(value) for value in values), Counter()):
            findings[f"redis {key.decode()}"] = found
    return findings


def _redis_values(redis: Redis, key: bytes) -> list[bytes]:
    kind = redis.type(key).decode()
    if kind == "string":
        return [redis.get(key) or b""]
    if kind == "list":
        return redis.lrange(key, 0, -1)
    if kind == "hash":
        return [b"%s=%s" % item for item in redis.hgetall(key).items()]
    if kind == "set":
        return list(redis.smembers(key))
    if kind == "zset":
        return redis.zrange(key, 0, -1)
    if kind == "stream":
        return [repr(entry).encode() for entry in redis.xrange(key)]
    return []


@contextmanager
def _redis_watched(redis_url: str, unique: str) -> Iterator[Counter[str]]:
    """Count card numbers in every command the stack sends to Redis meanwhile.

    MONITOR sees each message as it is pushed, including those a worker takes a
    moment later: a queue read afterwards would be empty again. ``found["commands"]``
    counts the stack's commands seen, so that a watch that saw nothing shows.
    """
    found: Counter[str] = Counter()
    stop = threading.Event()
    ready = threading.Event()

    def watch() -> None:
        with Redis.from_url(redis_url) as redis, redis.monitor() as monitor:
            ready.set()
            while not stop.is_set():
                command = monitor.next_command()["command"].encode()
                if unique.encode() in command:
                    found.update(_found(command), commands=1)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    ready.wait(timeout=10)
    try:
        yield found
    finally:
        stop.set()
        with Redis.from_url(redis_url) as redis:
            redis.exists(f"{unique}-stop-watching")  # wakes the watcher up
        watcher.join(timeout=10)


def _orders_placed(api, user, staff) -> None:
    """Each test card, typed three ways, plus a refused number; all final."""
    product = create_product(api, staff, stock=50)
    typed = [spelling.decode() for card in CARDS for spelling in _spellings(card)]
    placed = [place_order(api, user, [(product["id"], 1)], card=c) for c in typed]
    refused = place_order(api, user, [(product["id"], 1)], card=NOT_A_CARD)
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    for response in placed:
        settled_order(api, user, response.json()["id"])


def test_no_card_number_rests_in_any_file_key_or_message(api, user, staff, stack):
    """Zero full card numbers in the stack's files, Redis keys and Redis traffic."""
    workdir, unique = _stack_names(stack)
    redis_url = stack.processes[0].env["REDIS_URL"]

    with _redis_watched(redis_url, unique) as sent_through_redis:
        _orders_placed(api, user, staff)

    assert sent_through_redis.pop("commands", 0) > 0  # the watch saw the stack
    assert any(workdir.glob("*.log"))  # and the files are where we look
    findings = _files_scan(workdir)
    with Redis.from_url(redis_url) as redis:
        findings |= _redis_scan(redis, unique)
    if sent_through_redis:
        findings["redis commands (MONITOR)"] = sent_through_redis
    assert findings == {}, "card numbers found: " + "; ".join(
        f"{where}: {dict(found)}" for where, found in findings.items()
    )
