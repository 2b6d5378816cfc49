"""How big an experiment is: orders, users, how long faults last, how long to settle.

Three sizes share one shape: the full run (``make chaos``), ``--quick`` and the small
run of tests/reliability. Only the numbers differ, never the code that uses them.
"""

from dataclasses import dataclass, replace

STACKS = ("monolith", "services")

# The cards of CONTRACT.md: the number decides the payment's outcome.
APPROVED_CARD = "4242424242424242"
DECLINED_CARDS = ("4000000000000002", "4000000000009995")

# The stacks' recovery clocks, shortened so that a crash is healed within the settle
# window instead of the production defaults' half a minute or more. Each is read
# from the environment by the stack's settings; one a stack does not know is ignored.
RECOVERY_ENV = {
    # A killed worker's unacknowledged messages go back to the queue after this.
    "CELERY_VISIBILITY_TIMEOUT": "6",
    # The orders saga: a claim with no order, a reservation with no order, and an
    # order still pending are taken over, released, or asked about again after these.
    "IDEMPOTENCY_CLAIM_SECONDS": "12",
    "RESERVATION_SECONDS": "15",
    "PAYMENT_TIMEOUT_SECONDS": "8",
    # How often the orders relay runs those chores.
    "OUTBOX_CHORE_SECONDS": "2",
    # Every simulated customer signs in from 127.0.0.1: lift the sign-in limit.
    "AUTH_THROTTLE_RATE": "1000000/min",
}


@dataclass(frozen=True)
class Plan:
    """The size of one experiment; every duration is in seconds."""

    orders: int = 200
    users: int = 6
    seed: int = 1
    # Orders are spread evenly over the stream; faults fall at fixed points of it.
    stream_seconds: float = 100.0
    payments_worker_kills: int = 3  # services: SIGKILL the payments worker this often
    web_kills: int = 2  # monolith: SIGKILL a gunicorn worker mid-request this often
    catalog_stop_seconds: float = 10.0
    down_seconds: float = 1.5  # how long a killed process stays dead before its restart
    # A client retries one order (same Idempotency-Key) for at most this long.
    give_up_seconds: float = 60.0
    settle_seconds: float = 90.0  # after the stream, wait this long for pending orders
    request_timeout: float = 15.0  # an answer slower than this is a hang
    degraded_p99_ms: float = 3000.0  # the fast-failure invariant's bound


FULL = Plan()
QUICK = Plan(
    orders=40,
    users=4,
    stream_seconds=35.0,
    payments_worker_kills=1,
    web_kills=1,
    catalog_stop_seconds=6.0,
    give_up_seconds=40.0,
    settle_seconds=45.0,
)
# tests/reliability: about 30 orders and each fault once, under a minute a stack.
SMALL = replace(
    QUICK, orders=30, stream_seconds=20.0, catalog_stop_seconds=5.0, settle_seconds=30.0
)
