"""The faults: what breaks, when, for how long, and how it is put back.

A fault is one of three acts on a process of the stack: ``kill`` (SIGKILL its whole
process group, as the kernel's OOM killer or a pulled plug would, then start it again
after ``down`` seconds), ``pause`` (SIGSTOP, then SIGCONT: a process that hangs with
its connections open, the worst kind of slow) and ``kill-child`` (SIGKILL one gunicorn
worker while requests are in flight; its master forks a new one). Killing ``redis``
loses its data, since the lab's Redis keeps nothing on disk.

``chaos/timeline.py`` draws the schedule from the seed; ``FaultRunner`` plays it
against a running stack, each fault in a thread of its own (so they may overlap, as
the orders web process is killed while catalog is stopped), and records when each
really began and when the stack had it back.
"""

import contextlib
import json
import os
import random
import signal
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

import psutil
from redis import Redis
from redis.exceptions import RedisError

from tests.harness.processes import Process, StackError, wait_until

from .stacks import ChaosStack
from .timeline import HOLDING, PLACING, Fault

RESTART_TIMEOUT = 60.0  # a restarted process that is not back by then is a finding
STRIKE_WAIT = 3.0  # how long a fault waits for the moment it is meant to hit
STALL_SECONDS = 2.0  # a worker is stopped this long so that messages pile up
Say = Callable[[str], None]


@dataclass
class FaultRecord:
    """What happened: seconds from the stream's start; ``ended`` once recovered."""

    fault: Fault
    began: float | None = None
    ended: float | None = None
    note: str = ""

    def as_dict(self) -> dict:
        return {
            "what": self.fault.label,
            "act": self.fault.act,
            "target": self.fault.target,
            "planned_at_s": round(self.fault.at, 2),
            "began_s": None if self.began is None else round(self.began, 2),
            "ended_s": None if self.ended is None else round(self.ended, 2),
            "down_s": (
                None
                if self.began is None or self.ended is None
                else round(self.ended - self.began, 2)
            ),
            "note": self.note,
        }


class FaultRunner:
    """Plays a timeline against a stack; ``placing`` counts placements in flight."""

    def __init__(
        self,
        stack: ChaosStack,
        faults: list[Fault],
        *,
        started: float,
        placing: Callable[[], int],
        say: Say,
    ):
        self.stack, self.started, self.placing, self.say = stack, started, placing, say
        self.records = [FaultRecord(fault) for fault in faults]
        self._threads = [
            threading.Thread(target=self._play, args=(record,), daemon=True)
            for record in self.records
        ]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def join(self) -> None:
        for thread in self._threads:
            thread.join()

    def now(self) -> float:
        return time.monotonic() - self.started

    def in_effect(self) -> list[str]:
        """The faults that have begun and not yet been recovered from."""
        return [
            record.fault.label
            for record in self.records
            if record.began is not None and record.ended is None
        ]

    def windows(self) -> list[tuple[float, float]]:
        """(began, ended) of every fault: the times a dependency was down."""
        end = self.now()
        return [
            (record.began, record.ended if record.ended is not None else end)
            for record in self.records
            if record.began is not None
        ]

    def _play(self, record: FaultRecord) -> None:
        fault = record.fault
        time.sleep(max(0.0, fault.at - self.now()))
        act = {"kill": self._kill, "pause": self._pause, "kill-child": self._kill_child}
        try:
            act[fault.act](record)
        except (StackError, OSError, psutil.Error) as error:
            record.note = f"did not recover: {str(error).splitlines()[0]}"
            self.say(f"{fault.label}: {record.note}")

    def _begin(self, record: FaultRecord) -> None:
        """Wait (a little) for the moment the fault is meant for, then strike."""
        if record.fault.during:  # e.g. Redis dies while the worker is dead too
            wait_until(
                lambda: self.is_down(record.fault.during),
                timeout=RESTART_TIMEOUT,
                what=f"{record.fault.during} to be down",
                interval=0.01,
            )
        if record.fault.when:
            wait = STRIKE_WAIT
            if record.fault.when == HOLDING:
                self._stall(record.fault)
                wait = 1.0  # it takes its first message within milliseconds
            deadline = time.monotonic() + wait
            while not self._held(record.fault) and time.monotonic() < deadline:
                time.sleep(0.001)  # a busy poll: the moment may last milliseconds
            found = self._held(record.fault)
            record.note = f"{found} {record.fault.when}" if found else "nothing held"
        record.began = self.now()
        self.say(f"{record.began:6.1f} s  fault: {record.fault.label}")

    def _stall(self, fault: Fault) -> None:
        """Stop a worker for a moment, then let it go: the messages that piled up
        meanwhile are what it holds next. A charge takes milliseconds, so a worker
        killed at a random moment is almost never holding one."""
        process = self.stack.processes[fault.target]
        _signal_group(process, signal.SIGSTOP)
        time.sleep(STALL_SECONDS)
        _signal_group(process, signal.SIGCONT)

    def _end(self, record: FaultRecord) -> None:
        record.ended = self.now()
        self.say(f"{record.ended:6.1f} s  back: {record.fault.target}")

    def _kill(self, record: FaultRecord) -> None:
        process = self.stack.processes[record.fault.target]
        ready = self._readiness(record.fault.target, process)
        self._begin(record)
        _signal_group(process, signal.SIGKILL)
        process.popen.wait()
        time.sleep(record.fault.down)
        process.restart()  # the same argv, environment and log: the same port too
        wait_until(
            ready,
            timeout=RESTART_TIMEOUT,
            what=f"{record.fault.target} after its restart",
            watch=[process],
            interval=0.2,
        )
        self._end(record)

    def _pause(self, record: FaultRecord) -> None:
        process = self.stack.processes[record.fault.target]
        self._begin(record)
        _signal_group(process, signal.SIGSTOP)
        time.sleep(record.fault.down)
        _signal_group(process, signal.SIGCONT)
        self._end(record)

    def _kill_child(self, record: FaultRecord) -> None:
        """SIGKILL one of a gunicorn master's workers, if possible mid-request."""
        master = psutil.Process(self.stack.processes[record.fault.target].popen.pid)
        self._begin(record)
        workers = master.children()
        victim = random.Random(record.fault.at).choice(workers)
        victim.kill()
        # Back when the master has forked a replacement: as many workers as before.
        wait_until(
            lambda: (
                len(master.children()) >= len(workers)
                and victim.pid not in {child.pid for child in master.children()}
            ),
            timeout=RESTART_TIMEOUT,
            what="gunicorn's replacement worker",
            interval=0.1,
        )
        self._end(record)

    def is_down(self, target: str) -> bool:
        """True while a fault on ``target`` has struck and it is not back yet."""
        return any(
            record.fault.target == target
            and record.began is not None
            and record.ended is None
            for record in self.records
        )

    def _held(self, fault: Fault) -> int:
        """How much of what ``fault`` is meant to hit is there right now."""
        if fault.when == PLACING:
            return self.placing()
        try:
            if fault.when == HOLDING:  # taken by the worker, not yet acknowledged
                queue = _queue(self.stack.processes[fault.target])
                return self._unacked().count(queue)
            # QUEUED: waiting in a worker's queue, or taken and not acknowledged.
            queues = [
                _queue(process)
                for process in self.stack.processes.values()
                if process.argv[0].endswith("celery")
            ]
            with self._redis() as redis:
                waiting = sum(int(redis.llen(queue)) for queue in queues)
            return waiting + len(self._unacked())
        except RedisError:
            return 0  # Redis itself is down (another fault): nothing to see

    def _unacked(self) -> list[str]:
        """The queue of every message taken from Redis and not yet acknowledged
        (kombu keeps them in the ``unacked`` hash until the task acks)."""
        with self._redis() as redis:
            values = redis.hvals("unacked")
        return [json.loads(value)[2] for value in values]

    def _redis(self) -> Redis:
        argv = self.stack.processes["redis"].argv
        port = int(argv[argv.index("--port") + 1])
        return Redis(host="127.0.0.1", port=port, socket_timeout=1)

    def _readiness(self, name: str, process: Process) -> Callable[[], bool]:
        """How to tell that ``process`` is back, decided before it is killed."""
        if name == "redis":
            return lambda: _pings(self._redis())
        if name in self.stack.web_urls:
            url = f"{self.stack.web_urls[name]}/healthz"
            return lambda: _answers(url)
        if "relay_outbox" in " ".join(process.argv):
            return process.alive  # a relay has no door: alive is all we can see
        # A Celery worker logs " ready." once it consumes: wait for one more of them.
        mark = process.log_mark()
        return lambda: process.logged_since(mark, " ready.")


def _signal_group(process: Process, signum: int) -> None:
    # Already gone: a fault that overlaps another.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.popen.pid, signum)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
            return response.status == 200
    except OSError:
        return False


def _queue(worker: Process) -> str:
    """The queue a Celery worker consumes (tests/harness/servers.py: --queues)."""
    return worker.argv[worker.argv.index("--queues") + 1]


def _pings(redis: Redis) -> bool:
    try:
        with redis:
            return bool(redis.ping())
    except RedisError:
        return False
