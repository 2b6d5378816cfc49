"""The API's input and output, as marshmallow schemas: APIFlask validates the query
with them and writes them into the OpenAPI document."""

from datetime import UTC, datetime
from typing import Any

from apiflask import Schema
from apiflask.fields import Date, Dict, Integer, List, Nested, String
from apiflask.validators import OneOf
from marshmallow import EXCLUDE, ValidationError, post_load, pre_load

from .report import (
    BAD_DATE,
    BAD_GROUP,
    DEFAULT_GROUP,
    GROUPS,
    period_errors,
    resolve_period,
)


class SalesQuery(Schema):
    """?from=&to=&group=: the period and the grouping of a report."""

    class Meta:
        unknown = EXCLUDE  # other parameters are not ours to refuse

    start = Date(
        data_key="from",
        load_default=None,
        error_messages={"invalid": BAD_DATE},
        metadata={
            "description": "First day (UTC), YYYY-MM-DD; default: `to` - 29 days."
        },
    )
    end = Date(
        data_key="to",
        load_default=None,
        error_messages={"invalid": BAD_DATE},
        metadata={"description": "Last day (UTC), YYYY-MM-DD; default: today."},
    )
    group = String(
        load_default=DEFAULT_GROUP,
        validate=OneOf(GROUPS, error=BAD_GROUP),
        metadata={"description": "Rows per day, category (slug) or product (id)."},
    )

    @pre_load
    def blank_is_absent(self, data: Any, **kwargs: Any) -> dict[str, Any]:
        """``?from=&to=`` (the page's form with no dates picked) means "not given",
        as Django's forms and DRF's serializers read an empty query parameter."""
        return {name: value for name, value in data.items() if value != ""}

    @post_load
    def resolve(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        today = datetime.now(UTC).date()
        start, end = resolve_period(start=data["start"], end=data["end"], today=today)
        errors = period_errors(start=start, end=end)
        if errors:
            raise ValidationError(errors)
        return {**data, "start": start, "end": end}


class SalesPageQuery(SalesQuery):
    """The JSON's query: the period, and which page of its rows."""

    # Parsed by pagination.py as DRF parses them (a bad page is a 404, not a 400).
    page = String(load_default="1", metadata={"description": "Page number."})
    page_size = String(load_default="20", metadata={"description": "At most 100."})


class SalesRowOut(Schema):
    key = String(metadata={"description": "A day, a category slug or a product id."})
    orders = Integer(metadata={"description": "Paid orders with a line here."})
    units = Integer()
    revenue = String(metadata={"description": "Money, two places: 19.99."})


class SalesPageOut(Schema):
    count = Integer()
    next = String(allow_none=True)
    previous = String(allow_none=True)
    results = List(Nested(SalesRowOut))


class ReportsProblem(Schema):
    """RFC 9457 problem details: every error of this service."""

    type = String()
    title = String()
    status = Integer()
    detail = String()


class ReportsValidationProblem(ReportsProblem):
    errors = Dict(keys=String(), values=List(String()))
