"""The report page's filter: the same period rules as the API (report.py)."""

from datetime import UTC, datetime
from typing import Any

from django import forms

from .report import (
    BAD_DATE,
    BAD_GROUP,
    DEFAULT_GROUP,
    GROUPS,
    period_errors,
    resolve_period,
)


class SalesReportForm(forms.Form):
    to = forms.DateField(required=False, error_messages={"invalid": BAD_DATE})
    group = forms.ChoiceField(
        choices=[(group, group) for group in GROUPS],
        required=False,
        error_messages={"invalid_choice": BAD_GROUP},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # `from` is a Python keyword, so it cannot be a class attribute above.
        self.fields["from"] = forms.DateField(
            required=False, error_messages={"invalid": BAD_DATE}
        )
        self.order_fields(["from", "to", "group"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        start, end = resolve_period(
            start=data.get("from"), end=data.get("to"), today=datetime.now(UTC).date()
        )
        for field, messages in period_errors(start=start, end=end).items():
            self.add_error(field, messages)
        return {"start": start, "end": end, "group": data.get("group") or DEFAULT_GROUP}
