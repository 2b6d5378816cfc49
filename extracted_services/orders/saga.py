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
                                    (a PlacementAttempt row first)
    _order_record         orders    local transaction: "pending"        "failed"
                                    (closes the PlacementAttempt)
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

A compensation runs in the process that took the step, and a process can die. What
it leaves half done, ``recovery.py`` finds and finishes, every few seconds (the
outbox relay runs it) or by hand (``manage.py recover``):

    left half done                 found by                      finished by
    -----------------------------  ----------------------------  ----------------------
    a key claimed, never placed    no order after                deleted; or taken over
                                   IDEMPOTENCY_CLAIM_SECONDS     by the next request
    stock reserved, no order       a PlacementAttempt older      stock release (outbox),
                                   than RESERVATION_SECONDS      once
    a charge or its answer lost    pending after                 payments.charge again,
    (a broker that lost its data)  PAYMENT_TIMEOUT_SECONDS       backing off
    a stock release lost           a StockRelease unconfirmed    orders.stock_release
                                   after RESERVATION_SECONDS     again, backing off

Each is a conditional delete or update, so two recoveries at once do each chore
once. The timeouts are longer than any live placement (the catalog client's timeout
bounds it), and a placement that is slower all the same is fenced: its order's
transaction must delete its attempt and attach its key, and when recovery got there
first it records nothing and answers 503 (``PlacementExpired``). Payments answers a
charge for an order it has already charged by publishing the first result again:
asking twice never charges twice.
"""

from dataclasses import dataclass
from uuid import UUID

from django.conf import settings

from extracted_services.chassis.outbox import outbox_add

from . import messages
from .models import Order, StockRelease


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


def payment_charge_queue(*, order: Order) -> None:
    """Queue PAYMENT_REQUEST: ask payments to charge ``order``'s sealed card.

    Call it in a transaction: with the order (order_place), or when recovery asks
    again for an order payments has not answered. Payments charges an order once,
    however often it is asked, and answers every time.
    """
    outbox_add(
        task_name=messages.PAYMENTS_CHARGE,
        queue=settings.PAYMENTS_QUEUE,
        payload={
            "order_id": order.pk,
            "amount": str(order.total),
            "currency": order.currency,
            "card_sealed": order.card_sealed,
        },
    )


def stock_release_queue(*, order_ref: UUID | str) -> None:
    """Queue STOCK_RESERVE's compensation: the one way, a message in the outbox.

    Call it in a transaction: with the decision that needs it (a failed payment),
    or alone. The relay sends it to this service's worker, which calls catalog,
    again and again, until catalog answers. Until then a StockRelease row says the
    stock is owed, in case the message is lost (recovery sends it again).
    """
    # Queued twice for one order (by a placement and by recovery), it is owed once.
    StockRelease.objects.bulk_create(
        [StockRelease(order_ref=order_ref)], ignore_conflicts=True
    )
    stock_release_send(order_ref=order_ref)


def stock_release_send(*, order_ref: UUID | str) -> None:
    """The orders.stock_release message alone: for a release already owed."""
    outbox_add(
        task_name=messages.STOCK_RELEASE,
        queue=settings.ORDERS_QUEUE,
        payload={"order_ref": str(order_ref)},
    )


def stock_release_done(*, order_ref: UUID | str) -> None:
    """Catalog has given the stock back: nothing is owed any more."""
    StockRelease.objects.filter(order_ref=order_ref).delete()
