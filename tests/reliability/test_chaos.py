"""The chaos lab, small: each stack keeps every invariant while its processes die.

The same experiment as ``make chaos`` (chaos/experiment.py), sized down to about 30
orders and each fault once (chaos/plan.py: SMALL). One run per stack, shared by
every test of that stack (a module-scoped fixture): the run is the expensive part,
the assertions are cheap.
"""

import logging
import shutil
from dataclasses import replace

import pytest

from chaos.audit import INVARIANTS
from chaos.experiment import run_stack
from chaos.plan import SMALL, STACKS
from chaos.timeline import timeline

logger = logging.getLogger("chaos")

pytestmark = pytest.mark.skipif(
    shutil.which("redis-server") is None,
    reason="the chaos lab starts a redis-server of its own: apt install redis-server",
)


@pytest.fixture(scope="module", params=STACKS)
def experiment(request, tmp_path_factory) -> dict:
    """One small chaos run on the stack named by the parameter: its figures."""
    workdir = tmp_path_factory.mktemp(f"chaos-{request.param}")
    return run_stack(request.param, SMALL, workdir, logger.info)


@pytest.mark.parametrize("invariant", INVARIANTS)
def test_the_invariant_holds(experiment, invariant):
    """Nothing lost, stuck, charged twice or oversold; no 5xx, no hang: all zero."""
    assert experiment[invariant] == 0, experiment["details"].get(invariant)


def test_answers_come_fast_while_a_dependency_is_down(experiment):
    """While a fault is in effect, the p99 of the answers stays under 3 s."""
    # On failure: the slowest answers and the faults, to see which one they met.
    why = {"slowest": experiment["details"]["slowest_degraded"]}
    why["faults"] = experiment["faults"]
    assert experiment["degraded_answers"] > 0
    assert experiment["p99_degraded_ms"] < SMALL.degraded_p99_ms, why


def test_most_orders_are_accepted(experiment):
    """Faults slow the customers down; they do not turn them away for good."""
    assert experiment["orders_accepted"] >= 0.9 * SMALL.orders, experiment["details"][
        "abandoned"
    ]


def test_every_fault_struck_and_the_stack_recovered(experiment):
    """Each scheduled fault began, and its process was back before the audit."""
    for fault in experiment["faults"]:
        assert fault["began_s"] is not None, fault
        assert fault["ended_s"] is not None, fault
        assert not fault["note"].startswith("did not recover"), fault


@pytest.mark.parametrize("stack", STACKS)
def test_the_timeline_is_drawn_from_the_seed(stack):
    """The same seed gives the same faults at the same times; another moves them."""
    assert timeline(stack, SMALL) == timeline(stack, SMALL)
    other = timeline(stack, replace(SMALL, seed=2))
    assert [f.at for f in other] != [f.at for f in timeline(stack, SMALL)]
