"""Placing an order, as a saga: every step, who takes it, and what undoes it.

Start reading here. The monolith places an order in one database transaction, so a
failure anywhere rolls everything back. Here the work is spread over three services,
no transaction spans them, and each step that another step's failure must undo has a
compensation: an action that undoes it, run later, perhaps more than once.

    step                  who       how                                 undone by
    --------------------  --------  ----------------------------------  -------------
    _validate             orders    in memory                           -
    key_claim             orders    local transaction                   key_release
    stock_reserve         catalog   HTTP POST /internal/reservations/   stock release
    _order_record         orders    local transaction: "pending"        "failed"
    _payment_request      payments  command payments.charge (outbox)    - (the pivot)
    order_payment_record  orders    on orders.payment_result: "paid",   -
                                    or "failed" and compensate

The first five run in ``services/placement.py``'s ``order_place``, in this order (a
test checks it, and that the monolith's ``order_place`` calls the same steps); the
last in ``services/payment_result.py`` when payments answers. The charge is the pivot:
once it is asked for, the saga only goes forward. A declined card runs the
compensations: the order becomes ``failed`` and its stock goes back. Either way the
outcome is published as an event for every subscriber (``order.paid`` or
``order.failed``). ``STEPS`` below is this table as data; docs/api/asyncapi.yaml
describes each message.
"""

from dataclasses import dataclass
from uuid import UUID

from django.conf import settings

from extracted_services.chassis.outbox import outbox_add

from . import messages


@dataclass(frozen=True)
class Step:
    """One step of the saga: who takes it, how it is asked, what undoes it."""

    helper: str  # the function that takes the step (services/placement.py)
    service: str  # the service that does the work
    how: str  # a local transaction, an HTTP request, or a message's name
    compensation: str = ""  # what undoes it if a later step fails; "" for nothing


VALIDATE = Step("_validate", "orders", "in memory")
KEY_CLAIM = Step(
    "key_claim", "orders", "local transaction", compensation="key_release (local)"
)
STOCK_RESERVE = Step(
    "stock_reserve",
    "catalog",
    "HTTP POST /internal/reservations/",
    # At once if catalog answers, else through the outbox to our own worker.
    compensation="HTTP DELETE /internal/reservations/<order_ref>/, or "
    + messages.STOCK_RELEASE,
)
ORDER_RECORD = Step(
    "_order_record",
    "orders",
    "local transaction",
    compensation='status "failed" (order_payment_record)',
)
PAYMENT_REQUEST = Step("_payment_request", "payments", messages.PAYMENTS_CHARGE)
PAYMENT_RECORD = Step(
    "order_payment_record",
    "orders",
    f"on {messages.PAYMENT_RESULT}: local transaction, then {messages.ORDER_PAID}"
    f" or {messages.ORDER_FAILED}",
)

STEPS = (
    VALIDATE,
    KEY_CLAIM,
    STOCK_RESERVE,
    ORDER_RECORD,
    PAYMENT_REQUEST,
    PAYMENT_RECORD,
)
# The steps order_place takes while the customer waits; payments answers later.
PLACEMENT_STEPS = STEPS[:-1]


def stock_release_queue(*, order_ref: UUID | str) -> None:
    """Queue STOCK_RESERVE's compensation: the one way, a message in the outbox.

    Call it in a transaction: with the decision that needs it (a failed payment),
    or alone. The relay sends it to this service's worker, which calls catalog,
    again and again, until catalog answers.
    """
    outbox_add(
        task_name=messages.STOCK_RELEASE,
        queue=settings.ORDERS_QUEUE,
        payload={"order_ref": str(order_ref)},
    )
