"""The databases as the audit sees them: every service's SQLite file, read-only.

A snapshot is what the orders, payments and catalog data hold at one moment (on the
monolith, one file holds all three). The audit reads them directly, beside the API,
so that a stack cannot hide a loss behind its own answers.
"""

import sqlite3
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .stacks import ChaosStack

PAID, PENDING, FAILED = "paid", "pending", "failed"


@dataclass(frozen=True)
class Snapshot:
    """What the databases hold at one moment."""

    orders: dict[int, str]  # order id -> status
    lines: list[tuple[int, int, int]]  # (order id, product id, quantity)
    payments: list[tuple[int, str]]  # (order id, payment status)
    stock: dict[int, int]  # product id -> units in stock

    def pending(self) -> int:
        return sum(status == PENDING for status in self.orders.values())


def _rows(path: Path, query: str) -> list[tuple]:
    """Read-only, so the audit can never change what it checks; retried while a
    writer holds the file (SQLite answers "database is locked")."""
    for _ in range(50):
        try:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as db:
                return db.execute(query).fetchall()
        except sqlite3.OperationalError as error:
            if "locked" not in str(error):
                raise
            time.sleep(0.1)
    raise sqlite3.OperationalError(f"{path} stayed locked")


def snapshot(stack: ChaosStack, product_ids: list[int]) -> Snapshot:
    databases = stack.databases
    ids = ",".join(str(int(pk)) for pk in product_ids)
    return Snapshot(
        orders=dict(_rows(databases["orders"], "SELECT id, status FROM orders_order")),
        lines=_rows(
            databases["orders"],
            "SELECT order_id, product_id, quantity FROM orders_orderline",
        ),
        payments=_rows(
            databases["payments"], "SELECT order_id, status FROM payments_payment"
        ),
        stock=dict(
            _rows(
                databases["catalog"],
                f"SELECT id, stock FROM catalog_product WHERE id IN ({ids})",  # noqa: S608
            )
        ),
    )


def stock_mismatches(now: Snapshot, start_stock: dict[int, int]) -> dict[int, dict]:
    """Products whose stock is not start - units in paid and pending orders."""
    held: Counter[int] = Counter()
    for order_id, product_id, quantity in now.lines:
        if now.orders.get(order_id) in (PAID, PENDING):
            held[product_id] += quantity
    mismatches = {}
    for product_id, start in start_stock.items():
        expected, current = start - held[product_id], now.stock.get(product_id)
        if current != expected or (current is not None and current < 0):
            mismatches[product_id] = {"expected": expected, "current": current}
    return mismatches


def settle(
    stack: ChaosStack,
    start_stock: dict[int, int],
    timeout: float,
    say: Callable[[str], None],
) -> float:
    """Wait until no order is pending and every product's stock adds up (a failed
    order's stock comes back a moment after it fails), or ``timeout`` passes."""
    began = time.monotonic()
    last_said = 0.0
    while True:
        now = snapshot(stack, list(start_stock))
        pending, mismatched = now.pending(), len(stock_mismatches(now, start_stock))
        waited = time.monotonic() - began
        if (pending == 0 and mismatched == 0) or waited > timeout:
            return waited
        if waited - last_said >= 5:
            say(f"settling: {pending} pending, {mismatched} products' stock off")
            last_said = waited
        time.sleep(0.5)
