"""Restart a process of the stack that exits on its own, as a process manager would.

Under `make run`, compose/supervisor.py starts again any process that dies; compose's
``restart:`` and Kubernetes' ``restartPolicy`` do the same in the other ways the shop
runs. The lab's stacks are started by the test harness, which does not, so without
this a process that the faults did not kill but that died of one (a Celery worker
that exits when its broker is restarted, kombu's "Unrecoverable error") would stay
down, and its queue would fill for the rest of the run: the lab would measure a stack
that no real deployment runs.

The faults restart what they kill themselves; the supervisor leaves a process alone
while a fault on it is in effect. Each restart is recorded and printed: a process
that dies by itself is a finding worth seeing, even when nothing is lost.
"""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from tests.harness.processes import Process

from .stacks import ChaosStack

CHECK_EVERY = 0.25  # seconds between two looks at the processes
RESTART_AFTER = 1.0  # seconds between a process's exit and its restart
Say = Callable[[str], None]


@dataclass(frozen=True)
class Restart:
    """A process that exited with no fault on it, and when it was started again."""

    target: str
    exit_code: int | None
    at_s: float  # seconds from the stream's start
    last_line: str  # the last line it logged: usually why it exited

    def as_dict(self) -> dict:
        return {
            "target": self.target,
            "exit_code": self.exit_code,
            "at_s": round(self.at_s, 2),
            "last_line": self.last_line,
        }


class Supervisor:
    """Watches ``stack``'s processes in a thread; ``faulted(name)`` says whether a
    fault has that process down on purpose (then its restart is the fault's job)."""

    def __init__(
        self,
        stack: ChaosStack,
        *,
        started: float,
        faulted: Callable[[str], bool],
        say: Say,
    ):
        self.stack, self.started, self.faulted, self.say = stack, started, faulted, say
        self.restarts: list[Restart] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> "Supervisor":
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Stop watching before the stack is stopped, or it would start it again."""
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        while not self._stop.wait(CHECK_EVERY):
            for name, process in self.stack.processes.items():
                if not process.alive() and not self.faulted(name):
                    self._restart(name, process)

    def _restart(self, name: str, process: Process) -> None:
        exit_code = process.popen.returncode
        last = process.tail(1).strip()
        self.say(f"supervisor: {name} exited ({exit_code}) with no fault on it")
        if self._stop.wait(RESTART_AFTER) or self.faulted(name):
            return
        process.restart()
        at = time.monotonic() - self.started
        self.restarts.append(Restart(name, exit_code, at, last[:300]))
        self.say(f"{at:6.1f} s  supervisor: restarted {name}")
