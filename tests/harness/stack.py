"""What a test knows about a running stack, whoever started it, and how to start one."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .processes import Process


@dataclass(frozen=True)
class StackOptions:
    """How to run a stack. The defaults are the contract tests'; the benchmark's differ.

    ``settings`` picks each project's settings module: ``test`` (fast password
    hashing) or ``local`` (what `make run` uses; DEBUG is turned off here). ``workers``
    and ``threads`` apply to every gunicorn of the stack; None keeps each launcher's
    own choice. ``products`` generated products go in beside the demo's 60.
    """

    settings: str = "test"
    workers: int | None = None
    threads: int | None = None
    throttled_door: bool = True  # a second door with a low sign-in limit (the 429 test)
    products: int = 0
    redis_url: str | None = None  # None: REDIS_URL, or the local default
    env: Mapping[str, str] = field(default_factory=dict)  # for every process
    # The services stack's database URL per service ("catalog", ..., "reports");
    # a service not named keeps its own SQLite file (the bench's --database postgres).
    databases: Mapping[str, str] = field(default_factory=dict)
    staff_password: str | None = None  # None: a random one for each stack


@dataclass(frozen=True)
class Stack:
    """What a test needs to know about a running stack.

    ``throttled_base_url`` is a door to the same stack with a low sign-in rate limit
    (a few a minute), for the test that wants a 429; without one, that test hammers
    ``base_url``, which then needs a low limit itself. ``processes`` are the stack's
    own processes when this test run started them (their logs, for failure reports);
    ``web_urls`` names the address of each of them that serves HTTP; ``keys_dir`` is
    the folder of its token keys (chassis/keys.py), when this run made them.
    """

    name: str
    base_url: str
    staff_username: str
    staff_password: str
    throttled_base_url: str | None = None
    processes: tuple[Process, ...] = field(default=(), repr=False)
    web_urls: Mapping[str, str] = field(default_factory=dict, repr=False)
    keys_dir: Path | None = field(default=None, repr=False)
