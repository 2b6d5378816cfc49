"""The run's results: each measurement round by round, and the figures that follow.

``results.json`` holds everything the report shows: every figure's value in each
round, its median and spread, the comparisons and targets computed from them, and
the machine, versions and settings of the run. ``python -m bench report DIR`` draws
the report again from it.
"""

import json
from pathlib import Path

from bench.plan import Step
from bench.stats import over_rounds

# Where each figure sits in one round's record.
FIGURES = {
    "p50": ("figure", "latency", "p50"),
    "p90": ("figure", "latency", "p90"),
    "p99": ("figure", "latency", "p99"),
    "max": ("figure", "latency", "max"),
    "throughput": ("figure", "throughput"),
    "sent_p50": ("figure", "service_latency", "p50"),  # fixed rate: from the send
    "sent_p99": ("figure", "service_latency", "p99"),
    "requests": ("requests",),
    "errors": ("errors",),
    "retries": ("retries",),  # 503s with Retry-After the client waited out
    "status_5xx": ("status_5xx",),
    "cpu_per_1000": ("cost", "cpu_per_1000"),
    "peak_rss_mb": ("cost", "peak_rss_mb"),
    "peak_pss_mb": ("cost", "peak_pss_mb"),  # shared pages counted once (costs.py)
    "oversold": ("stock", "oversold"),
    "rate": ("rate",),
}
# Totals over the rounds, not medians.
SUMMED = ("requests", "errors", "retries", "status_5xx", "oversold")


def dig(record: dict | None, path: tuple[str, ...]):
    for part in path:
        if not isinstance(record, dict):
            return None
        record = record.get(part)
    return record


class Results:
    def __init__(self, meta: dict, rounds: int):
        self.meta, self.rounds = meta, rounds
        self.measurements: dict[str, dict] = {}
        self.complete = False
        # The median traces, drawn as waterfalls (bench/waterfall.py); {}: untraced.
        self.waterfalls: dict[str, dict] = {}

    def add(self, step: Step, outcome: dict) -> None:
        entry = self.measurements.setdefault(
            step.key,
            {
                "key": step.key,
                "scenario": step.scenario,
                "stack": step.stack,
                "variant": step.variant,
                "phase": step.phase,
                "users": step.users,
                "fixed_rate": step.fixed_rate,
                "products": step.products,
                "rounds": [],
            },
        )
        entry["rounds"].append({"round": step.round, **outcome})

    def value(self, key: str, figure: str, round_number: int):
        entry = self.measurements.get(key)
        for record in entry["rounds"] if entry else ():
            if record["round"] == round_number:
                return dig(record, FIGURES[figure])
        return None

    def values(self, key: str, figure: str) -> list:
        return [self.value(key, figure, n) for n in range(1, self.rounds + 1)]

    def summary(self, key: str) -> dict:
        summary = {}
        for figure in FIGURES:
            values = self.values(key, figure)
            if figure in SUMMED:
                summary[figure] = sum(v for v in values if v is not None)
            else:
                summary[figure] = over_rounds(values)
        return summary

    def to_dict(self) -> dict:
        from bench.targets import (  # they read this module's figures
            compare,
            evaluate,
            hop_multiples,
        )

        for key, entry in self.measurements.items():
            entry["summary"] = self.summary(key)
        comparisons = compare(self)
        return {
            "schema": 1,
            "complete": self.complete,
            **self.meta,
            "measurements": list(self.measurements.values()),
            "comparisons": comparisons,
            # The hop scenario's multiples of the bare round trip (bench/hop.py).
            "hop": hop_multiples(self),
            "targets": evaluate(self, comparisons),
            "waterfalls": self.waterfalls,
        }

    def write(self, folder: Path) -> dict:
        document = self.to_dict()
        path = folder / "results.json"
        path.write_text(json.dumps(document, indent=2) + "\n")
        return document
