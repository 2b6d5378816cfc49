"""Lab 06, step 5: stop the orders relay and an order waits; start it and it settles.

    python -m tests.labs.relay_stopped

It starts a services stack of its own (its own ports, databases and queues, so
neither `make run` nor the tests' stacks notice), places an order while the relay
runs, stops the relay and places another, then starts the relay again. The stack
runs with ``OUTBOX_PUBLISH_ON_COMMIT=false``: the relay is its only sender, as if
every send after commit had failed (chassis/outbox.py).
"""

import subprocess
import tempfile
import time
from http import HTTPStatus
from pathlib import Path

import httpx

from tests.contract.helpers import User, place_order, poll, register, settled_order
from tests.harness.processes import Process
from tests.harness.services import launch_services, manage
from tests.harness.stack import Stack, StackOptions

PRODUCT_ID = 1  # a product of the demo catalogue, with stock to spare
# With the relay running an order settles in about a second: five times that with
# the relay stopped shows that nothing else would have sent its message.
STILL_PENDING_SECONDS = 5.0
# Step 4's look at orders' outbox: its newest payments.charge message.
LAST_CHARGE = "print(OutboxMessage.objects.filter(task_name='payments.charge').last())"


def main() -> None:
    say("Starting a services stack of its own (half a minute, or more)...")
    with (
        tempfile.TemporaryDirectory() as workdir,
        launch_services(
            "lab06",
            Path(workdir),
            StackOptions(
                throttled_door=False, env={"OUTBOX_PUBLISH_ON_COMMIT": "false"}
            ),
        ) as stack,
        httpx.Client(base_url=stack.base_url, timeout=15) as api,
    ):
        relay = _process(stack, "orders-relay")
        user = register(api)

        first = _order_placed(api, user)
        _order_settled(api, user, first, since=time.monotonic())

        relay.stop()
        say("orders-relay stopped")
        second = _order_placed(api, user)
        _outbox_shown(relay)
        _order_stays_pending(api, user, second)

        relay.restart()
        say("orders-relay started again")
        _order_settled(api, user, second, since=time.monotonic())
        _outbox_shown(relay)


def say(line: str) -> None:
    print(line, flush=True)  # noqa: T201 (the story of the step, for the student)


def _process(stack: Stack, name: str) -> Process:
    (process,) = [process for process in stack.processes if process.name == name]
    return process


def _order_placed(api: httpx.Client, user: User) -> int:
    """POST /api/orders/, as the step's curl does: the answer is still pending."""
    response = place_order(api, user, [(PRODUCT_ID, 1)])
    assert response.status_code == HTTPStatus.CREATED, response.text
    order = response.json()
    say(f"order {order['id']} placed: {order['status']}")
    return order["id"]


def _order_settled(api: httpx.Client, user: User, order_id: int, since: float) -> None:
    order = settled_order(api, user, order_id)
    waited = time.monotonic() - since
    say(f"order {order_id} {order['status']} after {waited:.1f} s")


def _order_stays_pending(api: httpx.Client, user: User, order_id: int) -> None:
    """The order is pending on every look, for STILL_PENDING_SECONDS."""
    started = time.monotonic()

    def look() -> str:
        response = api.get(f"/api/orders/{order_id}/", headers=user.headers)
        assert response.status_code == HTTPStatus.OK, response.text
        status = response.json()["status"]
        assert status == "pending", f"order {order_id} is {status}, relay stopped"
        return status

    # A poll that must not end early: each look asserts the order is still pending.
    poll(
        look,
        lambda _: time.monotonic() - started >= STILL_PENDING_SECONDS,
        timeout=STILL_PENDING_SECONDS + 5,
    )
    say(f"order {order_id} still pending after {STILL_PENDING_SECONDS:g} s")


def _outbox_shown(relay: Process) -> None:
    """Print orders' newest payments.charge row, with the relay's own settings."""
    shell = [*manage("orders"), "shell", "--verbosity", "0", "-c", LAST_CHARGE]
    result = subprocess.run(
        shell, env=relay.env, capture_output=True, text=True, check=True, timeout=60
    )
    say(f"orders' outbox: {result.stdout.strip()}")


if __name__ == "__main__":
    main()
