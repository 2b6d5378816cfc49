"""The service's own store (SQLite, the standard library's sqlite3): what it has seen.

``events`` keeps every event id it applied, so one delivered twice is applied once;
``paid_lines`` keeps the order lines of paid orders, which are all training needs.
Both are written in one transaction: an event is either applied and remembered, or
neither, and the consumer acknowledges it only after the commit.
"""

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from .events import PAID, OrderEvent
from .model import Line

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id          TEXT PRIMARY KEY,  -- the event's own id: the dedupe key
    type        TEXT NOT NULL,
    order_id    INTEGER NOT NULL,
    occurred_at TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS paid_lines (
    event_id   TEXT NOT NULL REFERENCES events (id),
    order_id   INTEGER NOT NULL,
    product_id INTEGER NOT NULL,
    quantity   INTEGER NOT NULL
);
"""


def connect(path: Path) -> sqlite3.Connection:
    """A connection to the store, created with its tables on first use."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # The consumer writes while the web process reads (/readyz, training): WAL lets
    # them; the timeout makes a writer wait for another instead of failing.
    connection = sqlite3.connect(path, timeout=20, check_same_thread=False)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.executescript(SCHEMA)
    return connection


def event_apply(connection: sqlite3.Connection, *, event: OrderEvent) -> bool:
    """Remember the event and learn from it; False if it was applied before."""
    with connection:  # one transaction: commit on success, roll back on error
        inserted = connection.execute(
            "INSERT OR IGNORE INTO events VALUES (?, ?, ?, ?, ?)",
            (
                event.id,
                event.type,
                event.order_id,
                event.occurred_at.isoformat(),
                datetime.now(UTC).isoformat(),
            ),
        ).rowcount
        if not inserted:
            return False
        if event.type == PAID:  # failed orders are recorded, never learned from
            connection.executemany(
                "INSERT INTO paid_lines VALUES (?, ?, ?, ?)",
                [
                    (event.id, event.order_id, line.product_id, line.quantity)
                    for line in event.lines
                ],
            )
    return True


def paid_lines(connection: sqlite3.Connection) -> list[Line]:
    """Every line of every paid order: (order_id, product_id, quantity)."""
    return connection.execute(
        "SELECT order_id, product_id, quantity FROM paid_lines"
    ).fetchall()


def event_count(connection: sqlite3.Connection, *, type: str | None = None) -> int:
    """How many events were applied (of one type, if given)."""
    if type is None:
        return connection.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    sql = "SELECT COUNT(*) FROM events WHERE type = ?"
    return connection.execute(sql, (type,)).fetchone()[0]
