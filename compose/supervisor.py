"""Run the lines of a Procfile and keep them running: `make run`'s process manager.

honcho, which `make run` used before, stops every process as soon as one exits: one
crashed worker took both stacks down. In production a process manager (systemd's
``Restart=``, Kubernetes' ``restartPolicy``) starts a process that died again instead,
and so does this one, after a pause that doubles with each quick failure. Output is
honcho's: each line prefixed with the time and the process's name, in its colour.
Ctrl-C or SIGTERM stops every process (SIGTERM, then SIGKILL after a grace period).

    python compose/supervisor.py [-f compose/Procfile] [NAME ...]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TextIO

from honcho.colour import get_colours
from honcho.environ import parse_procfile
from honcho.printer import Message, Printer

SUPERVISOR = "supervisor"  # the name on the supervisor's own lines
GRACE_SECONDS = 10.0  # from SIGTERM to SIGKILL; gunicorn's graceful_timeout is 10 s
# A process that stayed up this long was healthy: its next failure waits little again.
STABLE_SECONDS = 30.0
UNKNOWN_NAMES = "no such process in {procfile}: {names}"
# "A=1 B=${X:-2} cmd args": the variables a Procfile line sets, then its command.
LEADING_ASSIGNMENTS = re.compile(r"((?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*)(.*)", re.DOTALL)


@dataclass(frozen=True)
class Backoff:
    """The wait before a restart: ``first``, doubled per quick failure, capped."""

    first: float = 1.0
    most: float = 30.0

    def delays(self) -> Iterator[float]:
        delay = self.first
        while True:
            yield delay
            delay = min(delay * 2, self.most)


@dataclass(frozen=True)
class Program:
    """One Procfile line: a name, a shell command and the colour of its output."""

    name: str
    command: str
    colour: str | None = None


def read_procfile(path: Path, names: Sequence[str] = ()) -> list[Program]:
    """The Procfile's lines (only ``names``, in the Procfile's order, if given).

    honcho's parser reads it, so a Procfile means the same here as under honcho.
    """
    processes = parse_procfile(path.read_text(encoding="utf-8")).processes
    unknown = sorted(set(names) - set(processes))
    if unknown:
        raise ValueError(UNKNOWN_NAMES.format(procfile=path, names=", ".join(unknown)))
    wanted = [name for name in processes if not names or name in names]
    colours = get_colours()
    return [Program(name, processes[name], next(colours)) for name in wanted]


class Supervisor:
    """Starts every program, restarts any that exits, and stops them all on request.

    One thread per program starts it, copies its output and waits for it to exit.
    Each program runs in a session of its own (its own process group): Ctrl-C in the
    terminal reaches only us, and stopping a program stops its shell and whatever the
    shell started.
    """

    def __init__(
        self,
        programs: Sequence[Program],
        *,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
        backoff: Backoff = Backoff(),
        output: TextIO = sys.stdout,
    ):
        self.programs = list(programs)
        self.env = env
        self.cwd = cwd
        self.backoff = backoff
        width = max([len(SUPERVISOR), *(len(p.name) for p in self.programs)])
        self._printer = Printer(output, width=width)
        self._print_lock = threading.Lock()
        self._stopping = threading.Event()
        # The running child of each program; the lock keeps a start and a stop apart.
        self._children: dict[str, subprocess.Popen[bytes]] = {}
        self._children_lock = threading.Lock()

    def run(self) -> int:
        """Supervise until SIGINT or SIGTERM; then stop everything. Returns 0."""
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self._on_signal)
        keepers = [
            threading.Thread(target=self._keep, args=(program,), name=program.name)
            for program in self.programs
        ]
        for keeper in keepers:
            keeper.start()
        # A timeout, so that the signal handler runs promptly in this thread.
        while not self._stopping.wait(timeout=0.5):
            pass
        self._stop_all(keepers)
        return 0

    def stop(self) -> None:
        """Ask ``run`` to stop every program (what SIGINT and SIGTERM do)."""
        self._stopping.set()

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if not self._stopping.is_set():  # Ctrl-C may come twice: say it once
            self.log(f"{signal.Signals(signum).name} received: stopping every process")
        self.stop()

    def _keep(self, program: Program) -> None:
        """Start ``program``, and start it again each time it exits, until stopped."""
        delays = self.backoff.delays()
        while True:
            started = time.monotonic()
            child = self._start(program)
            if child is None:  # stopping: nothing was started
                return
            reader = threading.Thread(
                target=self._copy_output, args=(program, child), daemon=True
            )
            reader.start()
            code = child.wait()
            # What it started and left behind (a killed gunicorn's workers, holding
            # its port) goes with it, so that the next start finds the port free.
            _signal_group(child, signal.SIGKILL)
            reader.join(timeout=5)
            if self._stopping.is_set():
                self.log(f"{program.name} stopped (exit code {code})")
                return
            if time.monotonic() - started >= STABLE_SECONDS:
                delays = self.backoff.delays()  # it was healthy: start over
            delay = next(delays)
            self.log(
                f"{program.name} exited with code {code}; restarting it in {delay:g} s"
            )
            # Waiting on the event, not sleeping: a stop ends the wait at once.
            if self._stopping.wait(timeout=delay):
                return

    def _start(self, program: Program) -> subprocess.Popen[bytes] | None:
        with self._children_lock:
            if self._stopping.is_set():
                return None
            child = subprocess.Popen(  # noqa: S602 (a Procfile line is a shell command)
                exec_form(program.command),
                shell=True,
                cwd=self.cwd,
                env=self.env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            self._children[program.name] = child
        self.log(f"{program.name} started (pid {child.pid})")
        return child

    def _copy_output(self, program: Program, child: subprocess.Popen[bytes]) -> None:
        assert child.stdout is not None  # noqa: S101 (stdout=PIPE above)
        for line in iter(child.stdout.readline, b""):
            self._write(program.name, program.colour, line)
        child.stdout.close()

    def _stop_all(self, keepers: list[threading.Thread]) -> None:
        """SIGTERM to every program; SIGKILL to any still there after the grace."""
        with self._children_lock:  # no program starts after this
            children = list(self._children.values())
        for child in children:
            _signal_group(child, signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        for keeper in keepers:
            keeper.join(timeout=max(deadline - time.monotonic(), 0))
        if any(keeper.is_alive() for keeper in keepers):
            self.log(f"still running after {GRACE_SECONDS:g} s: sending SIGKILL")
            for child in children:
                _signal_group(child, signal.SIGKILL)
            for keeper in keepers:
                keeper.join()

    def log(self, text: str) -> None:
        """One line of the supervisor's own, among the programs' lines."""
        self._write(SUPERVISOR, None, text)

    def _write(self, name: str, colour: str | None, data: bytes | str) -> None:
        now = datetime.datetime.now()
        message = Message(type="line", data=data, time=now, name=name, colour=colour)
        with self._print_lock:  # one line at a time, whichever thread has it
            self._printer.write(message)


def exec_form(command: str) -> str:
    """The command with ``exec`` before it, after its leading ``NAME=value`` words.

    The shell then becomes the program instead of waiting for it, so the pid we
    hold, signal and wait for is the program's own: ``A=1 exec gunicorn ...``.
    """
    match = LEADING_ASSIGNMENTS.match(command)
    assert match is not None  # noqa: S101 (the pattern matches any string)
    return f"{match.group(1)}exec {match.group(2)}"


def _signal_group(child: subprocess.Popen[bytes], signum: int) -> None:
    """``signum`` to every process of the child's session (its group id is its pid)."""
    with contextlib.suppress(ProcessLookupError):  # none left
        os.killpg(child.pid, signum)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-f", "--procfile", type=Path, default=Path("compose/Procfile"))
    parser.add_argument(
        "--backoff", type=float, default=Backoff.first, help="first restart delay (s)"
    )
    parser.add_argument("names", nargs="*", help="the lines to run (default: all)")
    args = parser.parse_args(argv)
    try:
        programs = read_procfile(args.procfile, args.names)
    except (OSError, ValueError) as exc:
        parser.error(str(exc))
    backoff = Backoff(first=args.backoff, most=max(Backoff.most, args.backoff))
    return Supervisor(programs, env=dict(os.environ), backoff=backoff).run()


if __name__ == "__main__":
    sys.exit(main())
