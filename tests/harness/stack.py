"""What a test knows about a running stack, whoever started it."""

from dataclasses import dataclass, field

from .processes import Process


@dataclass(frozen=True)
class Stack:
    """What a test needs to know about a running stack.

    ``throttled_base_url`` is a door to the same stack with a low sign-in rate limit
    (a few a minute), for the test that wants a 429; without one, that test hammers
    ``base_url``, which then needs a low limit itself. ``processes`` are the stack's
    own processes when this test run started them (their logs, for failure reports).
    """

    name: str
    base_url: str
    staff_username: str
    staff_password: str
    throttled_base_url: str | None = None
    processes: tuple[Process, ...] = field(default=(), repr=False)
