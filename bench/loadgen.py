"""The load generator: locust, driven as a library, in a process of its own.

``python -m bench.loadgen`` reads one measurement per line of JSON on stdin, runs it,
and answers with lines of JSON on stdout (``started``, ``progress``..., ``done``).
It is a process of its own because importing locust lets gevent patch the standard
library (sockets, threads, time) for the whole process: the rest of the bench, which
starts servers and reads their CPU time, stays plain Python.

Two ways to load a server, both with FastHttpUser (one keep-alive connection each):

- closed: a fixed number of users, each sending its next request as soon as the last
  one is answered. It measures throughput at that concurrency;
- open: requests due at a fixed rate, whatever the server does. Each latency runs from
  the time the request was *due*, so a server that stalls cannot hide the requests it
  kept waiting (coordinated omission); the time from the actual send is kept too.
"""

import locust  # noqa: F401 (first: its gevent monkey-patching must come before all else)

# isort: split
import json
import os
import random
import sys
import time
import traceback
from collections import Counter

import gevent
from gevent.lock import BoundedSemaphore
from locust import FastHttpUser, constant, task
from locust.env import Environment

from bench.recorder import Recorder
from bench.scenarios import SCENARIOS, ScenarioError

SETUP_TIMEOUT = 60.0  # seconds for every user's setup (sign-in, filling a cart)
# Users set up a few at a time, as shoppers arrive, not all in the same millisecond:
# 32 sign-ins at once (slow password hashing, on purpose) queue for longer than a
# client waits on a busy machine, and that stampede is not what the window measures.
# Sign-ins inside the window (the shop session's) still meet everything else at once.
SETUPS_AT_ONCE = 4
DRAIN_TIMEOUT = 15.0  # seconds for steps in flight to finish after the window
PROGRESS_EVERY = 0.5


class Pacer:
    """Hands out the times requests are due: ``rate`` a second from ``start``."""

    def __init__(self, rate: float, start: float):
        self.interval, self.start, self.issued = 1.0 / rate, start, 0

    def next_due(self) -> float:
        due = self.start + self.issued * self.interval
        self.issued += 1
        return due


class Run:
    """What every simulated user of one measurement shares."""

    def __init__(self, command: dict, recorder: Recorder):
        self.command, self.recorder = command, recorder
        self.scenario = SCENARIOS[command["scenario"]]
        self.data = command["data"]
        self.pacer: Pacer | None = None
        self.stopping = False
        self.ready = self.busy = self.setup_failures = 0
        self.setup_problems: Counter[str] = Counter()
        self.setup_slots = BoundedSemaphore(SETUPS_AT_ONCE)
        self.accepted: Counter[int] = Counter()


class Visitor:
    """One simulated user, as the scenarios see it (``bench/scenarios.py``)."""

    def __init__(self, user: "ShopUser", run: Run, number: int):
        self.client, self.run, self.number = user.client, run, number
        self.data = run.data
        # A repeatable stream per user: the same choices on both stacks, not a secret.
        self.rng = random.Random(f"{run.command['seed']}-{number}")  # noqa: S311
        self.state: dict = {}
        self.due: float | None = None  # open model: when the current request was due

    def account(self) -> tuple[str, str]:
        return tuple(self.data["accounts"][self.number % len(self.data["accounts"])])

    def refresh_token(self) -> str:
        tokens = self.data["refresh_tokens"]
        return tokens[self.number % len(tokens)]

    def context(self) -> dict:
        return {"due": self.due}

    def sleep(self, seconds: float) -> None:
        gevent.sleep(seconds)

    def accept(self, items: dict[int, int]) -> None:
        """The server took an order for these quantities (the stock check adds up)."""
        self.run.accepted.update({int(pk): qty for pk, qty in items.items()})

    def flow(self, name: str, started: float, problem: str | None = None) -> None:
        self.run.recorder.flow(name, (time.monotonic() - started) * 1000, problem)

    def fail(self, name: str, problem: str) -> None:
        self.run.recorder.step_failed(name, problem)

    def traced(self, trace_id: str) -> None:
        self.run.recorder.traced(trace_id)


class ShopUser(FastHttpUser):
    """A simulated user; ``shared`` is set on a subclass made for each measurement."""

    abstract = True
    wait_time = constant(0)
    network_timeout = 30.0
    connection_timeout = 5.0
    shared: Run
    count = 0

    def on_start(self):
        type(self).count += 1
        self.visitor = Visitor(self, self.shared, type(self).count)
        try:
            if self.shared.scenario.setup:
                with self.shared.setup_slots:
                    self.shared.scenario.setup(self.visitor)
        except Exception as error:  # a sign-in that failed, or the stack is down
            self.shared.setup_failures += 1
            self.shared.setup_problems[f"setup: {error}"] += 1
        self.shared.ready += 1

    @task
    def step(self):
        run = self.shared
        if run.stopping:
            gevent.sleep(0.05)
            return
        if run.pacer is not None:
            due = run.pacer.next_due()
            gevent.sleep(max(0.0, due - time.time()))
            self.visitor.due = due
        run.busy += 1
        try:
            run.scenario.step(self.visitor)
        except ScenarioError as error:
            self.visitor.fail(run.scenario.name, str(error))
        except Exception as error:  # a bug or a garbled answer: count it, go on
            self.visitor.fail(run.scenario.name, f"{type(error).__name__}: {error}")
        finally:
            run.busy -= 1


def measure(command: dict, send) -> dict:
    """Run one measurement; ``send`` reports ``started`` and ``progress`` on the way."""
    recorder = Recorder(figure=SCENARIOS[command["scenario"]].figure)
    run = Run(command, recorder)
    attributes = {"host": command["base_url"], "shared": run, "count": 0}
    user_class = type("BenchUser", (ShopUser,), attributes)
    environment = Environment(user_classes=[user_class])
    environment.events.request.add_listener(recorder.on_request)
    runner = environment.create_local_runner()
    users = command["users"]
    runner.start(users, spawn_rate=max(users * 20, 100))
    deadline = time.monotonic() + SETUP_TIMEOUT
    while run.ready < users and time.monotonic() < deadline:
        gevent.sleep(0.05)
    gevent.sleep(command["warmup"])
    recorder.open()
    if command.get("rate"):
        run.pacer = Pacer(command["rate"], time.time())
    send({"event": "started"})
    window_end = time.monotonic() + command["duration"]
    while (left := window_end - time.monotonic()) > 0:
        gevent.sleep(min(PROGRESS_EVERY, left))
        send({"event": "progress", **recorder.progress()})
    recorder.close()
    send({"event": "window-closed"})
    run.stopping = True
    deadline = time.monotonic() + DRAIN_TIMEOUT
    while run.busy and time.monotonic() < deadline:
        gevent.sleep(0.02)
    runner.quit()
    result = recorder.result()
    # A user that could not set up (sign in, say) before the window is an error of
    # this measurement too: it shows in the errors and problems, never only later
    # as a page without the form the user should have had.
    result["errors"] += run.setup_failures
    result["problems"].update(run.setup_problems)
    result.update(
        users=users,
        rate=command.get("rate"),
        due_sent=run.pacer.issued if run.pacer else None,
        setup_failures=run.setup_failures,
        accepted={str(pk): qty for pk, qty in sorted(run.accepted.items())},
    )
    return result


def main() -> None:
    # Answers go to the real stdout; anything else printed (locust's own logs) goes
    # to stderr, which the bench keeps in a log file.
    channel = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1)
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())

    for line in sys.stdin:
        command = json.loads(line)

        def send(message: dict, command=command) -> None:
            channel.write(json.dumps({"id": command["id"], **message}) + "\n")

        try:
            send({"event": "done", "result": measure(command, send)})
        except Exception:
            send({"event": "failed", "error": traceback.format_exc()})


if __name__ == "__main__":
    main()
