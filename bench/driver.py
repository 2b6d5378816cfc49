"""The bench's side of the load generator: start it, hand it measurements, read back.

The load generator (``bench/loadgen.py``) is a child process that speaks JSON lines:
one command in, events out (``started``, ``progress``, ``window-closed``, ``done``).
"""

import json
import subprocess
import sys
from collections.abc import Callable
from itertools import count
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent


class LoadGeneratorError(RuntimeError):
    """The load generator failed or died; the message ends with its log."""


class LoadGenerator:
    def __init__(self, log: Path, env: dict[str, str]):
        self.log = log
        self._out = log.open("wb")
        self._ids = count(1)
        # A session of its own: Ctrl-C in the terminal reaches the bench, which then
        # stops this process itself, instead of both racing to shut down.
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.loadgen"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._out,
            text=True,
            start_new_session=True,
        )
        self.ps = psutil.Process(self.process.pid)
        # Popen types its pipes as optional: they exist, both being PIPE above.
        commands, events = self.process.stdin, self.process.stdout
        if commands is None or events is None:
            raise LoadGeneratorError("the load generator started without its pipes")
        self.commands, self.events = commands, events

    def cpu_seconds(self) -> float:
        times = self.ps.cpu_times()
        return times.user + times.system

    def measure(self, command: dict, on_event: Callable[[dict], None]) -> dict:
        """Run one measurement; ``on_event`` sees every event before ``done``."""
        command = {**command, "id": next(self._ids)}
        self.commands.write(json.dumps(command) + "\n")
        self.commands.flush()
        for line in self.events:
            event = json.loads(line)
            if event["event"] == "done":
                return event["result"]
            if event["event"] == "failed":
                raise LoadGeneratorError(
                    f"the load generator failed:\n{event['error']}"
                )
            on_event(event)
        raise LoadGeneratorError(f"the load generator exited:\n{self._tail()}")

    def close(self) -> None:
        if self.process.poll() is None:
            self.commands.close()  # its loop ends at end of input
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._out.close()

    def _tail(self, lines: int = 30) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])
