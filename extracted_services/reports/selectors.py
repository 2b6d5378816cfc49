"""Reads: the sales figures of a period, grouped by day, category or product.

One SQL query over our own sales lines; the monolith's twin asks its orders tables
the same question (monolith/reports/selectors.py).
"""

from datetime import date
from decimal import Decimal

from sqlalchemy import Select, distinct, func, select

from .extensions import db
from .models import SalesLine
from .report import SalesRow

# What each group's key is: days and slugs sort as text, product ids as numbers.
_KEYS = {
    "day": SalesLine.day,
    "category": SalesLine.category,
    "product": SalesLine.product_id,
}


def sales_query(*, start: date, end: date, group: str) -> Select:
    """The rows' query, ordered by key: for a page of it, or all of it."""
    key = _KEYS[group]
    return (
        select(
            key.label("key"),
            func.count(distinct(SalesLine.order_id)).label("orders"),
            func.sum(SalesLine.units).label("units"),
            func.sum(SalesLine.revenue_cents).label("revenue_cents"),
        )
        .where(SalesLine.day.between(start, end))
        .group_by(key)
        .order_by(key)
    )


def sales_rows(statement: Select) -> list[SalesRow]:
    """Run a (paged) sales query; keys become strings, cents become money."""
    return [
        SalesRow(
            key=key.isoformat() if isinstance(key, date) else str(key),
            orders=orders,
            units=units,
            revenue=Decimal(revenue_cents).scaleb(-2),  # cents to euros, exactly
        )
        for key, orders, units, revenue_cents in db.session.execute(statement)
    ]


def sales_report(*, start: date, end: date, group: str) -> list[SalesRow]:
    """Every row of a period (the CSV and the page)."""
    return sales_rows(sales_query(start=start, end=end, group=group))


def row_count(statement: Select) -> int:
    """How many rows a query has: the page's ``count``."""
    counted = select(func.count()).select_from(statement.order_by(None).subquery())
    return db.session.execute(counted).scalar_one()
