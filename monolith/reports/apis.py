"""The sales-report API (CONTRACT.md, "Sales reports"): staff only, JSON or CSV.

DRF's usual tools: a serializer validates the query, ``IsAdminUser`` answers 401 to
anonymous callers and 403 to customers (as problems, through the project's
exception handler), the project's paginator makes the page, a renderer the CSV.
"""

import json
from datetime import UTC, datetime
from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAdminUser
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from monolith.core.pagination import PageNumberPagination

from .report import (
    BAD_DATE,
    BAD_GROUP,
    DEFAULT_GROUP,
    GROUPS,
    csv_text,
    period_errors,
    resolve_period,
)
from .selectors import sales_queryset, sales_report, sales_rows

INVALID_QUERY = OpenApiResponse(description="Validation problem: `errors` per field.")
UNAUTHORIZED = OpenApiResponse(description="Problem: no valid credentials.")
FORBIDDEN = OpenApiResponse(description="Problem: not a staff user.")
STAFF_ONLY = {400: INVALID_QUERY, 401: UNAUTHORIZED, 403: FORBIDDEN}


def _date_field(help_text: str) -> serializers.DateField:
    return serializers.DateField(
        required=False,
        input_formats=["iso-8601"],
        error_messages={"invalid": BAD_DATE},
        help_text=help_text,
    )


class SalesQuerySerializer(serializers.Serializer):
    """?from=&to=&group=: the period (UTC days) and the grouping of a report."""

    to = _date_field("Last day (UTC), YYYY-MM-DD; default: today.")
    group = serializers.ChoiceField(
        choices=GROUPS,
        default=DEFAULT_GROUP,
        error_messages={"invalid_choice": BAD_GROUP},
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        # `from` is a Python keyword, so it cannot be a class attribute above.
        fields["from"] = _date_field("First day (UTC); default: `to` - 29 days.")
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = resolve_period(
            start=attrs.get("from"), end=attrs.get("to"), today=datetime.now(UTC).date()
        )
        errors = period_errors(start=start, end=end)
        if errors:
            raise serializers.ValidationError(errors)
        return {"start": start, "end": end, "group": attrs["group"]}


class SalesRowOutputSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="A day, a category slug or a product id.")
    orders = serializers.IntegerField()
    units = serializers.IntegerField()
    revenue = serializers.DecimalField(max_digits=14, decimal_places=2)


class CSVRenderer(BaseRenderer):
    """Sales rows as CSV; an error stays a problem+json body."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        response = (renderer_context or {}).get("response")
        if response is not None and response.exception:
            return json.dumps(data).encode()
        return csv_text(data).encode()


class SalesReportApi(APIView):
    """Sales per day, category or product: a page of {key, orders, units, revenue}."""

    permission_classes = [IsAdminUser]
    # Named here, not only used below, so that drf-spectacular documents the page
    # ({count, next, previous, results} and ?page=) instead of a bare list.
    pagination_class = PageNumberPagination

    @extend_schema(
        parameters=[SalesQuerySerializer],
        responses={200: SalesRowOutputSerializer(many=True), **STAFF_ONLY},
    )
    def get(self, request):
        query = SalesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(
            sales_queryset(**query.validated_data), request, view=self
        )
        rows = [row.as_dict() for row in sales_rows(page)]
        return paginator.get_paginated_response(rows)


class SalesReportCsvApi(APIView):
    """The same rows as CSV: every row of the period, with a header line."""

    permission_classes = [IsAdminUser]
    renderer_classes = [CSVRenderer]

    @extend_schema(
        parameters=[SalesQuerySerializer],
        responses={
            (200, "text/csv"): OpenApiResponse(description="key,orders,units,revenue"),
            **STAFF_ONLY,
        },
    )
    def get(self, request):
        query = SalesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        name = "sales-{group}-{start}-{end}.csv".format(**query.validated_data)
        return Response(
            sales_report(**query.validated_data),
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
