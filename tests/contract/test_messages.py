"""On the services stack, what really travels is what docs/api/asyncapi.yaml says.

After one paid and one declined order through the gateway, every row of the orders
and payments outboxes and every entry of the order-events stream is checked against
the document, and every message it names has been sent. The monolith sends no
messages between services: for it, and for a stack this run did not start (whose
databases it cannot read), these tests are skipped.
"""

import json
import sqlite3
from contextlib import closing

import pytest
from redis import Redis

from extracted_services.chassis.asyncapi import (
    message_names,
    message_validate,
    stream_entry_validate,
)

from .helpers import (
    DECLINED_CARD,
    PAYMENT_DEADLINE,
    create_product,
    place_order,
    poll,
    settled_order,
)

SENDERS = ("orders", "payments")  # the services with an outbox


@pytest.fixture
def relays(stack) -> dict[str, dict[str, str]]:
    """Each outbox relay's environment: where its database and stream are."""
    found = {
        process.name.removesuffix("-relay"): process.env
        for process in stack.processes
        if process.name.removesuffix("-relay") in SENDERS
    }
    if set(found) != set(SENDERS):
        pytest.skip("needs a services stack started by this test run")
    return found


def _outbox(env: dict[str, str], service: str) -> list[dict]:
    """Every row of the service's outbox, as the relay left it."""
    url = env["DATABASE_URL"]
    if not url.startswith("sqlite:///"):
        pytest.skip("reads the outbox of the SQLite services stack only")
    path = url.removeprefix("sqlite:///")
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        db.row_factory = sqlite3.Row
        rows = db.execute(
            "SELECT kind, task_name, payload, published_at "  # noqa: S608
            f"FROM {service}_outboxmessage ORDER BY id"
        ).fetchall()
    return [dict(row) for row in rows]


def _stream(env: dict[str, str]) -> list[dict[str, str]]:
    with Redis.from_url(env["REDIS_URL"], decode_responses=True) as redis:
        return [fields for _, fields in redis.xrange(env["ORDER_EVENTS_STREAM"])]


def test_every_message_sent_is_the_documents_and_every_one_is_sent(
    api, user, staff, relays
):
    """Commands at rest in both outboxes, events on the stream: all as documented."""
    product = create_product(api, staff, stock=10)
    orders = [
        place_order(api, user, [(product["id"], 2)]).json(),
        place_order(api, user, [(product["id"], 1)], card=DECLINED_CARD).json(),
    ]
    for order in orders:
        settled_order(api, user, order["id"])
    ours = {order["id"] for order in orders}
    entries = poll(
        lambda: _stream(relays["orders"]),
        lambda entries: ours <= {json.loads(e["payload"])["order_id"] for e in entries},
        timeout=PAYMENT_DEADLINE,
    )

    sent = set()
    for service in SENDERS:
        for row in _outbox(relays[service], service):
            payload = json.loads(row["payload"])
            # Whole at rest, as sent: the card number is in it only sealed for
            # payments (test_card_data.py looks for it everywhere in plain text).
            message_validate(row["task_name"], payload)
            sent.add(row["task_name"])
    events = [stream_entry_validate(fields) for fields in entries]
    assert sent == set(message_names())
    by_order = {
        event["order_id"]: event for event in events if event["order_id"] in ours
    }
    paid, failed = (by_order[order["id"]] for order in orders)
    assert (paid["type"], failed["type"]) == ("order.paid", "order.failed")
    for event in (paid, failed):
        lines = [(line["product_id"], line["category"]) for line in event["lines"]]
        assert lines == [(product["id"], product["category"])]
