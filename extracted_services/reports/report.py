"""The sales report itself: its period, its rows, as CSV, and its bar chart.

Copied on purpose from monolith/reports/report.py; tests/test_copies.py keeps the
two identical: what a report *is* does not change when its figures stop coming
from a query and start coming from a subscription. Only the standard library, so
that both sides, Django and Flask, can use it.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

GROUPS = ("day", "category", "product")
DEFAULT_GROUP = "day"
DEFAULT_DAYS = 30  # without `from`, a report covers the 30 days up to `to`
MAX_DAYS = 366  # a leap year, `from` and `to` included

BAD_DATE = "Enter a date as YYYY-MM-DD."
BAD_GROUP = "Choose one of: day, category, product."
FROM_AFTER_TO = "`from` must be on or before `to`."
RANGE_TOO_LONG = f"A report covers at most {MAX_DAYS} days."

CSV_HEADER = ("key", "orders", "units", "revenue")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class SalesRow:
    """One key's figures: a day "2026-11-22", a category slug or a product id."""

    key: str
    orders: int
    units: int
    revenue: Decimal

    def as_dict(self) -> dict[str, object]:
        return {
            "key": self.key,
            "orders": self.orders,
            "units": self.units,
            "revenue": money(self.revenue),
        }


def money(amount: Decimal) -> str:
    """The contract's money: a string with two places, "19.99"."""
    return str(amount.quantize(CENT))


def resolve_period(
    *, start: date | None, end: date | None, today: date
) -> tuple[date, date]:
    """The days a report covers: `to` defaults to today (UTC), `from` to 29 days
    before `to`, so a report without dates covers the last 30 days."""
    end = end or today
    if start is None:  # never before the first day a date can name (0001-01-01)
        start = end - min(timedelta(days=DEFAULT_DAYS - 1), end - date.min)
    return start, end


def period_errors(*, start: date, end: date) -> dict[str, list[str]]:
    """The contract's 400s for a period, by field: empty when it is fine."""
    if start > end:
        return {"from": [FROM_AFTER_TO]}
    if (end - start).days + 1 > MAX_DAYS:
        return {"to": [RANGE_TOO_LONG]}
    return {}


def csv_text(rows: Iterable[SalesRow]) -> str:
    """The rows as CSV with a header line, money as in the JSON."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow([row.key, row.orders, row.units, money(row.revenue)])
    return out.getvalue()


# ------------------------------------------------------------------- the bar chart


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: str  # the revenue, as money


@dataclass(frozen=True)
class BarChart:
    """What a template needs to draw revenue per key as an inline SVG."""

    width: int
    height: int
    baseline: float  # the y of the x-axis
    bars: tuple[Bar, ...]
    top: str  # the largest revenue, as money: the y-axis's only label


def bar_chart(
    rows: Sequence[SalesRow], *, width: int = 720, height: int = 240
) -> BarChart:
    """Bars of revenue per key, scaled to the largest; drawn server-side, no JS."""
    margin_top, margin_bottom, margin_left = 16, 24, 64
    plot_height = height - margin_top - margin_bottom
    largest = max((row.revenue for row in rows), default=Decimal(0))
    slot = (width - margin_left) / max(len(rows), 1)
    bars = []
    for index, row in enumerate(rows):
        share = float(row.revenue / largest) if largest else 0.0
        bar_height = share * plot_height
        bars.append(
            Bar(
                x=round(margin_left + index * slot + slot * 0.1, 2),
                y=round(margin_top + plot_height - bar_height, 2),
                width=round(slot * 0.8, 2),
                height=round(bar_height, 2),
                label=row.key,
                value=money(row.revenue),
            )
        )
    return BarChart(
        width=width,
        height=height,
        baseline=margin_top + plot_height,
        bars=tuple(bars),
        top=money(largest),
    )
