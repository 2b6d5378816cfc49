"""The lab's supervisor starts again a process that exits with no fault on it.

Real processes, not stand-ins: a child that exits at once, and one that runs on.
"""

import sys
import time

import pytest

from chaos.stacks import ChaosStack
from chaos.supervision import Supervisor
from tests.harness.processes import Process, stop_all, wait_until

# Logs one line, then exits with 3 on its first run and sleeps on the next ones:
# the file it leaves behind says whether it ran before.
FLAKY = """
import pathlib, sys, time
marker = pathlib.Path(sys.argv[1])
print("run", flush=True)
if not marker.exists():
    marker.touch()
    print("broker lost: giving up", flush=True)
    sys.exit(3)
time.sleep(60)
"""


@pytest.fixture
def stack(tmp_path):
    """A stack of two processes: ``flaky`` (as above) and ``steady``."""
    processes = {
        "flaky": Process(
            "flaky",
            [sys.executable, "-c", FLAKY, str(tmp_path / "ran")],
            env={},
            cwd=tmp_path,
            log=tmp_path / "flaky.log",
        ),
        "steady": Process(
            "steady",
            [sys.executable, "-c", "import time; time.sleep(60)"],
            env={},
            cwd=tmp_path,
            log=tmp_path / "steady.log",
        ),
    }
    yield ChaosStack("test", "", ("", ""), processes, {}, {})
    stop_all(list(processes.values()))


def test_a_process_that_exits_is_restarted_and_recorded(stack):
    said: list[str] = []
    with Supervisor(
        stack, started=time.monotonic(), faulted=lambda name: False, say=said.append
    ) as supervisor:
        wait_until(lambda: supervisor.restarts, timeout=10, what="a restart")
        flaky = stack.processes["flaky"]
        wait_until(flaky.alive, timeout=10, what="flaky to run again")

    (restart,) = supervisor.restarts
    assert (restart.target, restart.exit_code) == ("flaky", 3)
    assert restart.last_line == "broker lost: giving up"
    assert stack.processes["steady"].alive()
    assert any("restarted flaky" in line for line in said), said


def test_a_process_a_fault_holds_down_is_left_to_the_fault(stack):
    with Supervisor(
        stack,
        started=time.monotonic(),
        faulted=lambda name: name == "flaky",
        say=lambda line: None,
    ) as supervisor:
        flaky = stack.processes["flaky"]
        wait_until(lambda: not flaky.alive(), timeout=10, what="flaky to exit")
        # Several of the supervisor's rounds (0.25 s apart) pass over it.
        deadline = time.monotonic() + 1.5
        while time.monotonic() < deadline:
            assert not flaky.alive()
            time.sleep(0.1)

    assert supervisor.restarts == []
