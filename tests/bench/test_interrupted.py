"""Benchmark runs stopped on purpose: a stack dies under it, or the user presses
Ctrl-C. Figures after a failure are errors, never silent zeros; nothing is left
running. Apart from ``test_run.py``, so that `make test`'s two workers can run
these beside the quick run (``tests/conftest.py``).
"""

import json
import secrets
import signal
from contextlib import ExitStack

from bench.plan import STACKS
from tests.harness.databases import sqlite_database
from tests.harness.monolith import launch_monolith
from tests.harness.services import launch_services
from tests.harness.stack import StackOptions

from .runs import QUICK, Bench, failures_besides_slowness, left_running


def test_a_stack_stopped_mid_run_is_reported_as_errors(tmp_path):
    """The monolith dies mid-run: its later figures are errors, never silent zeros.

    Three scenarios at one catalogue size: twelve steps, the monolith's last four
    of them measured after the kill."""
    options = StackOptions(staff_password=secrets.token_urlsafe(16))
    with ExitStack() as stacks:
        (tmp_path / "m").mkdir()
        (tmp_path / "s").mkdir()
        monolith = stacks.enter_context(
            launch_monolith(
                "m", tmp_path / "m", sqlite_database(tmp_path / "m"), options
            )
        )
        services = stacks.enter_context(launch_services("s", tmp_path / "s", options))
        out = tmp_path / "out"
        bench = Bench(
            *QUICK, "--out", str(out), "--sizes", "200",
            *("--scenario", "floor", "--scenario", "product-detail"),
            *("--scenario", "product-list"),
            "--monolith", monolith.base_url,
            "--services", services.base_url, "--staff", monolith.staff_username,
            env={"BENCH_STAFF_PASSWORD": monolith.staff_password},
        )  # fmt: skip
        bench.wait_for("[4/")
        web = next(p for p in monolith.processes if p.name == "gunicorn")
        web.stop()
        code = bench.finish()

    assert code == 0, bench.output()
    document = json.loads((out / "results.json").read_text())
    by_stack = {stack: [] for stack in STACKS}
    for measurement in document["measurements"]:
        by_stack[measurement["stack"]] += measurement["rounds"]
    dead = by_stack["monolith"][-4:]  # measured after the kill
    assert all(r["errors"] > 0 and r["no_answer"] + r["errors"] > 0 for r in dead)
    assert all(r["figure"]["latency"]["p50"] is None for r in dead)
    # The stack still up answered every request it was sent. (A window in which
    # nothing finished, on a machine busy with the other suites, is the machine's
    # speed, not the dead stack's doing: the report counts it, this test does not.)
    assert failures_besides_slowness(by_stack["services"]) == 0
    assert "ERRORS" in bench.output()


def test_ctrl_c_stops_both_stacks_and_leaves_nothing_running(tmp_path):
    """Interrupted mid-run: exit 130, partial results kept, no process left behind."""
    out = tmp_path / "out"
    bench = Bench("--quick", "--out", str(out))
    bench.wait_for("[2/")

    bench.process.send_signal(signal.SIGINT)
    code = bench.finish(timeout=120)

    assert code == 128 + signal.SIGINT, bench.output()
    document = json.loads((out / "results.json").read_text())
    assert document["complete"] is False
    assert document["measurements"]
    assert left_running(out) == []
