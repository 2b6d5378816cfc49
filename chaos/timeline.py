"""The fault timeline: what breaks, when and for how long, drawn from the seed.

``chaos/faults.py`` plays it against a running stack. The services stack and the
monolith each get the faults that match their processes; the same seed and plan give
the same timeline, so a run that found something can be repeated.
"""

import random
from dataclasses import dataclass

from .plan import Plan

# The moments worth hitting: a Celery worker holds a message it has not acknowledged;
# Redis holds messages (queued or unacknowledged); an order placement is in flight.
HOLDING, QUEUED, PLACING = "holding", "queued", "placing"


@dataclass(frozen=True)
class Fault:
    """One scheduled fault; ``at`` counts seconds from the start of the order stream."""

    act: str  # "kill", "pause" or "kill-child"
    target: str  # a process name of ChaosStack.processes
    at: float
    down: float  # seconds the target stays dead or stopped
    why: str = ""  # what the fault shows, for the report
    # Strike when this holds (HOLDING, QUEUED, PLACING), or after a short wait anyway.
    when: str = ""
    during: str = ""  # strike only while this process is down (another fault's target)

    @property
    def label(self) -> str:
        what = {
            "kill": "SIGKILL",
            "pause": "SIGSTOP",
            "kill-child": "SIGKILL a worker of",
        }
        return f"{what[self.act]} {self.target}" + (
            f" ({self.why})" if self.why else ""
        )


def _spread(first: float, last: float, count: int) -> list[float]:
    """``count`` points from ``first`` to ``last`` (one point: ``first``)."""
    if count <= 1:
        return [first][:count]
    step = (last - first) / (count - 1)
    return [first + step * index for index in range(count)]


def timeline(stack: str, plan: Plan) -> list[Fault]:
    """The schedule of faults for ``stack``, the same for the same seed and plan."""
    rng = random.Random(f"{plan.seed}-{stack}")
    span = plan.stream_seconds

    def at(fraction: float) -> float:  # a little jitter, drawn from the seed
        return max(1.0, (fraction + rng.uniform(-0.03, 0.03)) * span)

    down = plan.down_seconds
    faults: list[Fault] = []
    if stack == "services":
        worker = "payments-worker"
        kills = [at(point) for point in _spread(0.10, 0.85, plan.payments_worker_kills)]
        for kill in kills:
            faults.append(Fault("kill", worker, kill, down, "mid-flow", HOLDING))
        stop = at(0.30)
        faults.append(Fault("pause", "catalog", stop, plan.catalog_stop_seconds))
        # One second in: placements are waiting on catalog's answer (its client
        # gives up after HTTP_TIMEOUT, 2 s), holding a claimed key and perhaps stock.
        why = "placements wait on catalog"
        faults.append(Fault("kill", "orders", stop + 1.0, down, why, PLACING))
        faults.append(Fault("kill", "orders-relay", at(0.70), down))
    else:
        worker, kills = "celery", [at(0.15)]
        faults.append(Fault("kill", worker, kills[0], down, "mid-flow", HOLDING))
        for point in _spread(0.35, 0.80, plan.web_kills):
            faults.append(
                Fault("kill-child", "gunicorn", at(point), 0, "mid-request", PLACING)
            )
    # While a worker is dead its messages pile up in Redis: lose them all.
    wipe = kills[len(kills) // 2] + 0.5
    why = f"{worker} down, data lost"
    faults.append(Fault("kill", "redis", wipe, down, why, QUEUED, during=worker))
    return sorted(faults, key=lambda fault: fault.at)
