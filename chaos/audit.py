"""After the storm: check every invariant, once the stack has settled.

Two witnesses, so that neither can hide a loss: the public API (each accepted order,
read back as its own customer) and the databases themselves, opened read-only
(orders, payments and catalog each keep their own SQLite file on the services stack;
the monolith keeps one). The verdict is computed, not eyeballed:

- lost: an order the API accepted (201, or 200 for a replay) that does not exist;
- stuck_pending: an order still ``pending`` once the settle time is over;
- double_charged: an order with more than one approved payment;
- payment_mismatches: a final order without exactly one payment, or whose status
  disagrees with its payment's, or with its card (4242... pays, the others fail);
- stock_mismatches: a product whose stock is not its starting stock minus the units
  in paid and pending orders, or is negative;
- errors_5xx: an answer 5xx other than the 503 problem with Retry-After;
- hangs and p99_degraded_ms: while a fault was in effect every request got an answer,
  the 99th percentile of their times under ``degraded_p99_ms``.
"""

from collections import Counter, defaultdict
from dataclasses import asdict
from http import HTTPStatus

import httpx

from bench.stats import percentile

from .databases import FAILED, PAID, PENDING, Snapshot, snapshot, stock_mismatches
from .load import Answer, Customer, Placement
from .plan import Plan
from .stacks import ChaosStack

INVARIANTS = (
    "lost",
    "stuck_pending",
    "double_charged",
    "payment_mismatches",
    "stock_mismatches",
    "errors_5xx",
    "hangs",
)


def _api_statuses(
    base_url: str, customers: list[Customer], placements: list[Placement]
) -> dict[int, int | str]:
    """Each accepted order as its customer reads it: its status, or the HTTP code."""
    seen: dict[int, int | str] = {}
    with httpx.Client(base_url=base_url, timeout=15) as http:
        for customer in customers:
            body = {"username": customer.username, "password": customer.password}
            token = http.post("/api/auth/token/", json=body).json()["access"]
            headers = {"Authorization": f"Bearer {token}"}
            for placement in placements:
                if (
                    placement.username != customer.username
                    or placement.order_id is None
                ):
                    continue
                response = http.get(
                    f"/api/orders/{placement.order_id}/", headers=headers
                )
                ok = response.status_code == HTTPStatus.OK
                seen[placement.order_id] = (
                    response.json()["status"] if ok else response.status_code
                )
    return seen


def _payment_mismatches(
    now: Snapshot, placements: list[Placement]
) -> tuple[int, list[dict]]:
    """(orders charged twice, every final order whose payments do not add up)."""
    by_order: dict[int, list[str]] = defaultdict(list)
    for order_id, status in now.payments:
        by_order[order_id].append(status)
    double = sum(statuses.count("approved") > 1 for statuses in by_order.values())
    expected = {PAID: "approved", FAILED: "declined"}
    wrong = []
    for order_id, status in now.orders.items():
        payments = by_order.get(order_id, [])
        if status in expected and payments != [expected[status]]:
            wrong.append({"order": order_id, "status": status, "payments": payments})
    for order_id in by_order.keys() - now.orders.keys():
        wrong.append(
            {"order": order_id, "status": None, "payments": by_order[order_id]}
        )
    for placement in placements:  # the card decides the outcome (CONTRACT.md)
        final = now.orders.get(placement.order_id or 0)
        if final in expected and (final == PAID) != placement.approved:
            wrong.append(
                {
                    "order": placement.order_id,
                    "status": final,
                    "card": placement.card[-4:],
                }
            )
    return double, wrong


def degraded(answers: list[Answer], windows: list[tuple[float, float]]) -> list[Answer]:
    """The answers to requests sent while a fault was in effect, slowest first."""
    during = [
        answer
        for answer in answers
        if answer.status and any(start <= answer.began <= end for start, end in windows)
    ]
    return sorted(during, key=lambda answer: -answer.ms)


def p99(answers: list[Answer]) -> float | None:
    ordered = sorted(answer.ms for answer in answers)
    return round(percentile(ordered, 99), 1) if ordered else None


def audit(
    stack: ChaosStack,
    *,
    plan: Plan,
    customers: list[Customer],
    placements: list[Placement],
    answers: list[Answer],
    windows: list[tuple[float, float]],
    start_stock: dict[int, int],
) -> dict:
    """Every figure of the verdict, with the details behind each non-zero one."""
    now = snapshot(stack, list(start_stock))
    accepted = [p for p in placements if p.outcome == "accepted"]
    api = _api_statuses(stack.base_url, customers, accepted)
    lost = [
        p.order_id
        for p in accepted
        if p.order_id not in now.orders or api.get(p.order_id) == HTTPStatus.NOT_FOUND
    ]
    stuck = [order_id for order_id, status in now.orders.items() if status == PENDING]
    double, wrong = _payment_mismatches(now, placements)
    stock = stock_mismatches(now, start_stock)
    errors = [a for a in answers if a.server_error]
    slow = degraded(answers, windows)
    counts = Counter(p.outcome for p in placements)
    accepted_ids = {p.order_id for p in accepted}
    return {
        "orders_wanted": len(placements),
        "orders_accepted": len(accepted),
        "orders_rejected": counts["rejected"],
        "orders_abandoned": counts["abandoned"],
        # Orders that exist though no client holds a 201 for them: a placement whose
        # answer was lost with a killed process, or one the client gave up on.
        "orders_unanswered": len(now.orders.keys() - accepted_ids),
        "lost": len(lost),
        "stuck_pending": len(stuck),
        "double_charged": double,
        "payment_mismatches": len(wrong),
        "stock_mismatches": len(stock),
        "errors_5xx": len(errors),
        "hangs": sum(a.hang for a in answers),
        "p99_degraded_ms": p99(slow),
        "degraded_answers": len(slow),
        "requests": len(answers),
        "no_answer": sum(a.status == 0 and not a.hang for a in answers),
        "details": {
            "lost": lost,
            "stuck_pending": stuck,
            "payment_mismatches": wrong,
            "stock_mismatches": {str(k): v for k, v in stock.items()},
            "errors_5xx": Counter(f"{a.what} {a.status}" for a in errors),
            "api_disagrees": {
                str(order_id): {
                    "api": api[order_id],
                    "database": now.orders.get(order_id),
                }
                for order_id in api
                if api[order_id] != now.orders.get(order_id)
            },
            "slowest_degraded": [asdict(answer) for answer in slow[:5]],
            "abandoned": [p.as_dict() for p in placements if p.outcome == "abandoned"],
        },
    }


def broken(figures: dict, plan: Plan) -> list[str]:
    """The invariants that do not hold, by name (empty: all hold)."""
    names = [name for name in INVARIANTS if figures[name]]
    p99 = figures["p99_degraded_ms"]
    if p99 is not None and p99 >= plan.degraded_p99_ms:
        names.append("p99_degraded_ms")
    if not figures["orders_accepted"]:
        names.append("orders_accepted")  # nothing accepted proves nothing
    return names
