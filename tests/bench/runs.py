"""Running ``python -m bench`` from a test: the tests of whole runs share these.

None asserts a timing: the runs' tests check that every scenario was measured, that
failures show as errors, and that nothing is left running.
"""

import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

from bench.recorder import NOTHING

ROOT = Path(__file__).resolve().parents[2]
# Seconds: a quick run takes about a minute alone, and four or more beside the
# rest of `make test`.
RUN_TIMEOUT = 600
# A quick run with 1 s windows: in quick's 0.3 s a machine busy with the other suites
# may finish no page or paid order at all, which the run rightly counts as an error.
QUICK = ("--quick", "--duration", "1")


class Bench:
    """``python -m bench`` in the background, its output read line by line."""

    def __init__(self, *args: str, env: dict[str, str] | None = None):
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench", *args],
            cwd=ROOT, env={**os.environ, **(env or {})}, text=True,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )  # fmt: skip
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self._queue.put(line)
        self._queue.put(None)

    def wait_for(self, start: str, timeout: float = RUN_TIMEOUT) -> str:
        """The first output line starting with ``start``, polled until the deadline."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._queue.get(timeout=0.5)
            except queue.Empty:
                continue
            if line is None:
                break
            self.lines.append(line)
            if line.startswith(start):
                return line
        raise AssertionError(f"no line starting {start!r}:\n{self.output()}")

    def finish(self, timeout: float = RUN_TIMEOUT) -> int:
        code = self.process.wait(timeout=timeout)
        while (line := self._queue.get(timeout=5)) is not None:
            self.lines.append(line)
        return code

    def output(self) -> str:
        return "".join(self.lines)[-6000:]


def left_running(out: Path) -> list[str]:
    """Processes that name the run's folder: its stacks, Redis, load generator."""
    found = []
    for process in psutil.process_iter(["cmdline"]):
        try:
            text = " ".join(process.info["cmdline"] or [])
            text += " ".join(process.environ().values())
        except psutil.Error:
            continue
        if str(out) in text:
            found.append(text[:120])
    return found


def failures_besides_slowness(rounds: list[dict]) -> int:
    """Errors of these rounds, but for windows in which nothing finished: those say
    how busy the machine was (CI runs other suites beside this one), and no test
    may assert a timing."""
    return sum(
        count
        for r in rounds
        for problem, count in r["problems"].items()
        if problem != NOTHING
    )
