"""The reports API (CONTRACT.md, "Sales reports"): staff only, JSON pages or CSV.

``/api/reports/sales/`` answers a page of rows ``{key, orders, units, revenue}``;
``/api/reports/sales.csv`` every row of the period as ``text/csv``. Keys: the day
("2026-11-22"), the category slug, or the product id as a string; rows are ordered by
key (days and slugs as text, product ids as numbers).
"""

from dataclasses import asdict
from typing import Any

from apiflask import APIBlueprint
from flask import Response

from .auth import staff_required
from .pagination import paginate
from .report import csv_text
from .schemas import SalesPageOut, SalesPageQuery, SalesQuery
from .selectors import sales_query, sales_report

bp = APIBlueprint("reports_api", __name__, url_prefix="/api/reports", tag="reports")

STAFF_ONLY = {
    401: "Problem: no valid access token.",
    403: "Problem: the token's user is not staff.",
}
# A page past the last one is a 404, as DRF's paginator answers it (pagination.py).
NO_SUCH_PAGE = {404: "Problem: no such page."}


@bp.get("/sales/")
@staff_required
@bp.input(SalesPageQuery, location="query", arg_name="query")
@bp.output(SalesPageOut)
@bp.doc(
    summary="Sales per day, category or product",
    security="jwtAuth",
    responses={**STAFF_ONLY, **NO_SUCH_PAGE},
)
def sales(query: dict[str, Any]) -> dict[str, Any]:
    """A page of the period's sales rows (only paid orders count)."""
    statement = sales_query(
        start=query["start"], end=query["end"], group=query["group"]
    )
    return asdict(paginate(statement))


@bp.get("/sales.csv")
@staff_required
@bp.input(SalesQuery, location="query", arg_name="query")
@bp.output({}, content_type="text/csv", description="key,orders,units,revenue")
@bp.doc(summary="The same rows as CSV", security="jwtAuth", responses=STAFF_ONLY)
def sales_csv(query: dict[str, Any]) -> Response:
    """Every row of the period as CSV, with a header line."""
    return csv_download(query)


def csv_download(query: dict[str, Any]) -> Response:
    """The period's rows as a CSV attachment (the API's, and the page's link)."""
    rows = sales_report(start=query["start"], end=query["end"], group=query["group"])
    name = f"sales-{query['group']}-{query['start']}-{query['end']}.csv"
    return Response(
        csv_text(rows),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
