"""Reads: the sales figures of a period, grouped by day, category or product.

One ORM aggregation over the paid orders' lines, joined to the product's category,
at the moment of asking: no copy to keep up to date, nothing to rebuild. (The
category is the product's current one; the services' events carry the one it had
when it was sold.) Days are UTC days of the order's creation, when the monolith
also paid it.
"""

from datetime import UTC, date, datetime, time
from typing import Any

from django.db.models import Count, DecimalField, F, QuerySet, Sum
from django.db.models.functions import TruncDate

from monolith.orders.models import Order, OrderLine

from .report import SalesRow

MONEY = DecimalField(max_digits=14, decimal_places=2)


def _key(group: str) -> Any:
    return {
        "day": TruncDate("order__created_at", tzinfo=UTC),
        "category": F("product__category__slug"),
        "product": F("product_id"),
    }[group]


def sales_queryset(*, start: date, end: date, group: str) -> QuerySet:
    """``{key, orders, units, revenue}`` dicts, one per key, ordered by key."""
    since = datetime.combine(start, time.min, tzinfo=UTC)
    # The end day's last instant: `end + 1 day` overflows on 9999-12-31.
    until = datetime.combine(end, time.max, tzinfo=UTC)
    return (
        OrderLine.objects.filter(
            order__status=Order.Status.PAID,
            order__created_at__gte=since,
            order__created_at__lte=until,
        )
        .values(key=_key(group))
        .annotate(
            orders=Count("order", distinct=True),
            units=Sum("quantity"),
            revenue=Sum(F("unit_price") * F("quantity"), output_field=MONEY),
        )
        .order_by("key")
    )


def sales_rows(values: Any) -> list[SalesRow]:
    """The queryset's dicts (or a page of them) as the report's rows."""
    return [
        SalesRow(
            key=value["key"].isoformat()
            if isinstance(value["key"], date)
            else str(value["key"]),
            orders=value["orders"],
            units=value["units"],
            revenue=value["revenue"],
        )
        for value in values
    ]


def sales_report(*, start: date, end: date, group: str) -> list[SalesRow]:
    """Every row of a period (the CSV and the page)."""
    return sales_rows(sales_queryset(start=start, end=end, group=group))
