"""The /reports/ page: staff only, the figures as a table and an inline SVG chart."""

from http import HTTPStatus
from typing import Any

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .forms import SalesReportForm
from .report import bar_chart
from .selectors import sales_report


@login_required
def sales_report_view(request):
    if not request.user.is_staff:
        # Signed in, but not staff: a 403 in the shop's layout that says why.
        return render(request, "reports/forbidden.html", status=HTTPStatus.FORBIDDEN)
    form = SalesReportForm(request.GET)
    context: dict[str, Any] = {"form": form}
    if not form.is_valid():
        return render(
            request, "reports/sales.html", context, status=HTTPStatus.BAD_REQUEST
        )
    query = form.cleaned_data
    rows = sales_report(start=query["start"], end=query["end"], group=query["group"])
    context |= {"query": query, "rows": rows, "chart": bar_chart(rows)}
    return render(request, "reports/sales.html", context)
