"""One experiment on one stack: start it, load it, break it, let it settle, audit it.

``python -m chaos`` runs this for each stack in turn; tests/reliability runs it small.
"""

import secrets
import time
from collections.abc import Callable
from pathlib import Path

from bench.shopdata import ShopClient, customer_password

from .audit import audit, broken
from .databases import settle
from .faults import FaultRunner
from .load import Customer, OrderStream
from .plan import Plan
from .stacks import ChaosStack, started_stack
from .supervision import Supervisor
from .timeline import timeline

PRODUCTS = 8  # the products ordered: few, so that orders compete for the same stock
STOCK = 1000  # each one's starting stock: never sold out, so no order is refused for it

Say = Callable[[str], None]


def prepare(stack: ChaosStack, plan: Plan) -> tuple[list[Customer], dict[int, int]]:
    """Sign up the customers and restock the products, through the public API."""
    client = ShopClient(stack.base_url, stack.staff)
    try:
        password = customer_password()
        run = secrets.token_hex(3)
        customers = [
            Customer(f"chaos-{run}-{number}", password)
            for number in range(1, plan.users + 1)
        ]
        for customer in customers:
            client.sign_up(customer.username, customer.password)
        products, _ = client.products(PRODUCTS)
        for product in products:
            client.set_stock(product["id"], STOCK)
        # Read back rather than assumed: the audit starts from what the stack says.
        start_stock = client.stock([product["id"] for product in products])
    finally:
        client.close()
    return customers, start_stock


def run_stack(name: str, plan: Plan, workdir: Path, say: Say) -> dict:
    """One stack's figures, its fault timeline and the invariants that broke."""
    say(f"starting the {name} stack in {workdir}")
    with started_stack(name, workdir) as stack:
        customers, start_stock = prepare(stack, plan)
        stream = OrderStream(stack.base_url, customers, list(start_stock), plan)
        stream.start()
        faults = FaultRunner(
            stack,
            timeline(name, plan),
            started=stream.started,
            placing=stream.placing,
            say=say,
        )
        supervisor = Supervisor(
            stack, started=stream.started, faulted=faults.is_down, say=say
        )
        with supervisor:  # from the first fault until the stack has settled
            faults.start()
            _report_progress(stream, faults, plan, say)
            faults.join()
            limit, now = plan.settle_seconds, stream.now()
            say(f"stream over at {now:.1f} s: settling (at most {limit:.0f} s)")
            settled = settle(stack, start_stock, plan.settle_seconds, say)
        figures = audit(
            stack,
            plan=plan,
            customers=customers,
            placements=stream.placements,
            answers=stream.answers,
            windows=faults.windows(),
            start_stock=start_stock,
        )
    return {
        **figures,
        "settle_s": round(settled, 1),
        "faults": [record.as_dict() for record in faults.records],
        "restarts": [restart.as_dict() for restart in supervisor.restarts],
        "broken": broken(figures, plan),
    }


def _report_progress(
    stream: OrderStream, faults: FaultRunner, plan: Plan, say: Say
) -> None:
    """One line a second until every order is placed, refused or given up."""
    while stream.running():
        time.sleep(1.0)
        counts = stream.counts()
        effect = ", ".join(faults.in_effect()) or "no fault"
        say(
            f"{stream.now():6.1f} s  accepted {counts['accepted']}/{plan.orders}"
            f"  retrying {counts['retrying']}  refused {counts['rejected']}"
            f"  abandoned {counts['abandoned']}  |  {effect}"
        )
