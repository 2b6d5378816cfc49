"""What the reports service loads: one sales line per paid order line, and the ids
of the events it has applied (so that an event delivered twice counts once).

Money is kept in cents, as an integer: SQLite has no decimal type, and a sum of
integers is exact on every database.
"""

from datetime import UTC, date, datetime

from sqlalchemy import BigInteger, Date, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db


def _now() -> datetime:
    return datetime.now(UTC)


# db.Model is a class Flask-SQLAlchemy makes at run time, which mypy cannot see.
class SalesLine(db.Model):  # type: ignore[name-defined]
    """One line of a paid order: the transform's output, the reports' only input."""

    __tablename__ = "sales_line"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)  # UTC date of occurred_at
    order_id: Mapped[int] = mapped_column(BigInteger)
    product_id: Mapped[int] = mapped_column(BigInteger)
    category: Mapped[str] = mapped_column(String(60))
    units: Mapped[int] = mapped_column(Integer)
    revenue_cents: Mapped[int] = mapped_column(BigInteger)
    event_id: Mapped[str] = mapped_column(String(36), index=True)

    def __repr__(self) -> str:
        return f"<SalesLine order={self.order_id} product={self.product_id}>"


# db.Model: made at run time, as above.
class ProcessedEvent(db.Model):  # type: ignore[name-defined]
    """An event already applied; its id is the primary key, so a second insert fails."""

    __tablename__ = "processed_event"

    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    type: Mapped[str] = mapped_column(String(40))
    order_id: Mapped[int] = mapped_column(BigInteger)
    processed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=_now
    )

    def __repr__(self) -> str:
        return f"<ProcessedEvent {self.type} {self.event_id}>"
