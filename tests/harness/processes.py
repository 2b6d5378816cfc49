"""Child processes with their own log file and process group, and deadline polls."""

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path


class StackError(RuntimeError):
    """A stack did not start; the message carries the tails of its logs."""


class Process:
    """One long-running child (gunicorn, a Celery worker) in a session of its own.

    Its own session makes it the leader of a process group, so ``stop`` reaches the
    workers it forks too and nothing outlives the test run.
    """

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        *,
        env: dict,
        cwd: Path,
        log: Path,
        append: bool = False,
    ):
        self.name = name
        self.argv, self.env, self.cwd = list(argv), env, cwd
        self.log = log
        self._out = log.open("ab" if append else "wb")
        self.popen = subprocess.Popen(
            self.argv,
            env=env,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=self._out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def alive(self) -> bool:
        return self.popen.poll() is None

    def terminate(self) -> None:
        """Ask the whole group to shut down gracefully (SIGTERM)."""
        self._signal_group(signal.SIGTERM)

    def stop(self, grace: float = 15) -> None:
        """SIGTERM the whole group, wait, then SIGKILL whatever is left of it."""
        self.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=grace)
        # The leader may be gone while a forked worker still holds the group.
        self._signal_group(signal.SIGKILL)
        self.popen.wait()
        self._out.close()

    def restart(self) -> None:
        """Stop this process (if it still runs) and start it again, in place.

        The same object, so a stack's list of processes still holds it and stops it
        at the end; the new process writes on in the same log. A test stops one
        service to see the rest of the stack without it, then puts it back.
        """
        self.stop()
        restarted = Process(
            self.name, self.argv, env=self.env, cwd=self.cwd, log=self.log, append=True
        )
        self._out, self.popen = restarted._out, restarted.popen

    def relaunch(self, env: dict[str, str]) -> "Process":
        """Stop this process and start it again with the environment ``env``.

        The benchmark flips a service's settings (its cache, say) this way; the new
        process writes on in the same log.
        """
        self.stop()
        return Process(
            self.name,
            self.argv,
            env=env,
            cwd=self.cwd,
            log=self.log,
            append=True,
        )

    def logged(self, text: str) -> bool:
        """True once ``text`` appears in the process's log."""
        return self.log.exists() and text in self.log.read_text(errors="replace")

    def log_mark(self) -> int:
        """How far the log has been written: ``logged_since`` looks after it
        (a restarted process writes on in the same file)."""
        return self.log.stat().st_size if self.log.exists() else 0

    def logged_since(self, mark: int, text: str) -> bool:
        """True once ``text`` appears in the log after ``log_mark()``'s ``mark``."""
        if not self.log.exists():
            return False
        with self.log.open("rb") as log:
            log.seek(mark)
            return text.encode() in log.read()

    def tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def _signal_group(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signum)


def stop_all(processes: Sequence[Process]) -> None:
    """Stop every process; they all shut down at once, not one after the other."""
    for process in processes:
        process.terminate()
    for process in processes:
        process.stop()


def run_step(argv: Sequence[str], *, env: dict, cwd: Path, log: Path) -> None:
    """Run a one-off command (migrate, seed) to completion, appending to ``log``."""
    with log.open("ab") as out:
        out.write(f"$ {' '.join(argv)}\n".encode())
        out.flush()
        result = subprocess.run(
            list(argv), env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT
        )
    if result.returncode:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-40:])
        raise StackError(f"`{' '.join(argv[1:])}` failed:\n{tail}")


def wait_until(
    condition: Callable[[], bool],
    *,
    timeout: float,
    what: str | Callable[[], str],
    watch: Sequence[Process] = (),
    interval: float = 0.1,
) -> None:
    """Poll ``condition`` until it holds; fail early if a watched process dies.

    ``what`` names what is awaited, for the error: a string, or a function that
    returns one when it is needed (to report the last thing seen).
    """
    deadline = time.monotonic() + timeout
    while not condition():
        dead = [p for p in watch if not p.alive()]
        if dead or time.monotonic() > deadline:
            reason = f"{dead[0].name} exited" if dead else f"not ready in {timeout}s"
            label = what() if callable(what) else what
            raise StackError(f"{label}: {reason}\n{log_tails(watch)}")
        time.sleep(interval)


def log_tails(processes: Sequence[Process], lines: int = 40) -> str:
    return "\n".join(
        f"---- {p.name} ({p.log}) ----\n{p.tail(lines)}" for p in processes
    )
