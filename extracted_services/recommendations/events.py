"""The order events this service subscribes to, as pydantic models.

What orders publishes (docs/api/asyncapi.yaml): one Redis stream entry per event,
with the fields ``type``, ``id``, ``payload`` (the event as JSON) and ``request_id``.
"""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

PAID = "order.paid"
FAILED = "order.failed"
KNOWN_TYPES = (PAID, FAILED)


class EventLine(BaseModel):
    product_id: int
    category: str
    quantity: int = Field(ge=1)
    unit_price: Decimal


class OrderEvent(BaseModel):
    id: str
    type: Literal["order.paid", "order.failed"]
    occurred_at: datetime
    order_id: int
    user_id: int
    lines: list[EventLine]
    total: Decimal
    currency: str


def event_from_entry(fields: dict[str, str]) -> OrderEvent:
    """The event in a stream entry; pydantic's ValidationError if it is malformed."""
    return OrderEvent.model_validate_json(fields["payload"])
