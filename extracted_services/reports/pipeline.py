"""Transform and load: an order event becomes sales lines in our database, once.

``apply_event`` is the whole rule: only ``order.paid`` adds lines (one per order
line); ``order.failed`` is recorded as processed and adds nothing; an event whose id
is already recorded changes nothing. The id and the lines are written in one
transaction, so a crash between the two cannot count an event twice or lose it.
"""

import json
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy.exc import IntegrityError

from .extensions import db
from .models import ProcessedEvent, SalesLine

logger = logging.getLogger(__name__)

PAID = "order.paid"
FAILED = "order.failed"
KNOWN_TYPES = {PAID, FAILED}
UNKNOWN_TYPE = "Unknown event type {type!r}."


class MalformedEvent(ValueError):
    """An entry that is not an order event we understand: it can never be applied."""


@dataclass(frozen=True)
class OrderEvent:
    id: str
    type: str
    order_id: int
    occurred_at: datetime
    lines: list[dict]

    @property
    def day(self) -> date:
        """The day it happened, in UTC: the reports' days are UTC days."""
        return self.occurred_at.astimezone(UTC).date()


def parse_entry(fields: dict[str, str]) -> OrderEvent:
    """The event in a stream entry's ``payload`` (JSON text); raises MalformedEvent."""
    try:
        payload = json.loads(fields["payload"])
        event = OrderEvent(
            id=str(payload["id"]),
            type=str(payload["type"]),
            order_id=int(payload["order_id"]),
            occurred_at=datetime.fromisoformat(payload["occurred_at"]),
            lines=list(payload["lines"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise MalformedEvent(repr(exc)) from exc
    if event.type not in KNOWN_TYPES:
        raise MalformedEvent(UNKNOWN_TYPE.format(type=event.type))
    return event


def sales_lines(event: OrderEvent) -> list[SalesLine]:
    """Transform: one sales line per order line of a paid order; none otherwise."""
    if event.type != PAID:
        return []
    return [
        SalesLine(
            day=event.day,
            order_id=event.order_id,
            product_id=int(line["product_id"]),
            category=str(line["category"]),
            units=int(line["quantity"]),
            revenue_cents=_cents(Decimal(line["unit_price"]) * int(line["quantity"])),
            event_id=event.id,
        )
        for line in event.lines
    ]


def load_event(event: OrderEvent) -> bool:
    """Add ``event``'s rows to the session unless it was applied before.

    True when they were added; the caller commits (one event, or a whole rebuild).
    """
    if db.session.get(ProcessedEvent, event.id) is not None:
        return False
    processed = ProcessedEvent(
        event_id=event.id, type=event.type, order_id=event.order_id
    )
    db.session.add(processed)
    db.session.add_all(sales_lines(event))
    return True


def apply_event(event: OrderEvent) -> bool:
    """Load ``event`` in a transaction of its own; True when it was applied now."""
    try:
        applied = load_event(event)
        db.session.commit()
    except IntegrityError:
        # Another consumer applied it between our check and our insert.
        db.session.rollback()
        return False
    except Exception:
        db.session.rollback()
        raise
    return applied


def _cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())
