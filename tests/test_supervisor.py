"""`make run`'s supervisor (compose/supervisor.py): a process that dies is started
again, and SIGTERM stops every process. Real subprocesses, under a Procfile of
the test's own."""

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from compose.supervisor import Backoff, exec_form, read_procfile

ROOT = Path(__file__).resolve().parents[1]
SUPERVISOR = ROOT / "compose" / "supervisor.py"
DEADLINE_SECONDS = 20
# A process that stays up and says its pid; one that says its pid and dies at once.
PROCFILE = """\
# Comments are not processes.
steady: GREETING=${GREETING:-hello} python -c "import os, time; print(os.environ['GREETING'], os.getpid(), flush=True); time.sleep(600)"
flaky: python -c "import os; print('flaky', os.getpid(), flush=True); raise SystemExit(3)"
"""  # noqa: E501 (Procfile lines are one line each)


@dataclass
class Run:
    """A supervisor started on the Procfile above, and every line it printed."""

    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)

    def wait_for(self, found: Callable[[list[str]], bool]) -> list[str]:
        deadline = time.monotonic() + DEADLINE_SECONDS
        while time.monotonic() < deadline:
            if found(list(self.lines)):
                return list(self.lines)
            time.sleep(0.05)
        pytest.fail(
            "the supervisor did not print it in time:\n" + "\n".join(self.lines)
        )

    def pids_of(self, name: str) -> list[int]:
        """The pids a program printed in its own output lines."""
        pids = []
        for line in self.lines:
            prefix, _, text = line.partition("| ")  # "07:25:06 steady     | hello 42"
            if prefix.split()[-1:] == [name]:
                pids.append(int(text.split()[-1]))
        return pids


def alive(pid: int) -> bool:
    """The process exists and is not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.fixture
def run(tmp_path) -> Iterator[Run]:
    procfile = tmp_path / "Procfile"
    procfile.write_text(PROCFILE)
    argv = [sys.executable, str(SUPERVISOR), "-f", str(procfile), "--backoff", "0.1"]
    # The Procfile's `python` is this interpreter, as `make run` puts .venv first.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    process = subprocess.Popen(
        argv,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    started = Run(process)
    assert process.stdout is not None

    def read() -> None:
        for line in process.stdout:  # type: ignore[union-attr]
            started.lines.append(line.rstrip("\n"))

    threading.Thread(target=read, daemon=True).start()
    yield started
    if process.poll() is None:  # a failed test left it running
        process.kill()
        process.wait()


def test_a_process_that_exits_is_started_again_with_a_growing_pause(run):
    """Its exit and the pause before each restart are in the log; the others stay up."""
    lines = run.wait_for(lambda lines: len(run.pids_of("flaky")) >= 3)
    restarts = [line for line in lines if "flaky exited with code 3" in line]

    assert "restarting it in 0.1 s" in restarts[0]
    assert "restarting it in 0.2 s" in restarts[1]
    assert len(set(run.pids_of("flaky"))) >= 3  # a new process each time
    assert len(run.pids_of("steady")) == 1  # started once, never again
    assert any(" steady     | hello " in line for line in lines)  # prefixed, padded


def test_sigterm_stops_every_process_and_the_supervisor(run):
    """SIGTERM to the supervisor leaves no process of the Procfile running."""
    run.wait_for(lambda lines: run.pids_of("steady") and run.pids_of("flaky"))
    steady = run.pids_of("steady")[0]
    assert alive(steady)

    run.process.send_signal(signal.SIGTERM)
    code = run.process.wait(timeout=DEADLINE_SECONDS)

    assert code == 0
    run.wait_for(lambda lines: not alive(steady))
    assert any("SIGTERM received: stopping every process" in ln for ln in run.lines)
    assert any("steady stopped" in line for line in run.lines)


def test_the_pause_doubles_up_to_its_ceiling():
    delays = Backoff(first=1, most=5).delays()

    assert [next(delays) for _ in range(5)] == [1, 2, 4, 5, 5]


@pytest.mark.parametrize(
    ("line", "command"),
    [
        ("gunicorn app --bind :8000", "exec gunicorn app --bind :8000"),
        ("A=1 B=${X:-2} celery worker", "A=1 B=${X:-2} exec celery worker"),
    ],
)
def test_the_shell_becomes_the_program(line, command):
    """The pid the supervisor holds is the program's own, not a waiting shell's."""
    assert exec_form(line) == command


def test_the_real_procfile_is_read_and_an_unknown_name_refused():
    """`make run`'s process names are compose/Procfile's lines."""
    procfile = ROOT / "compose" / "Procfile"

    names = [program.name for program in read_procfile(procfile, ["orders", "gateway"])]
    with pytest.raises(ValueError, match="no such process"):
        read_procfile(procfile, ["nobody"])

    assert names == ["gateway", "orders"]  # in the Procfile's order
