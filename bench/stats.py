"""Percentiles of one measurement, and the median and spread of a figure over rounds.

Plain Python on purpose: a student can check every number the report shows by hand.
"""

import math
import statistics
from collections.abc import Sequence

PERCENTILES = {"p50": 50, "p90": 90, "p95": 95, "p99": 99}


def percentile(ordered: Sequence[float], rank: float) -> float:
    """The ``rank``-th percentile of sorted values, interpolating linearly between
    the two nearest (NumPy's default method), so p50 of [1, 2, 3, 4] is 2.5."""
    if not ordered:
        raise ValueError("no values")
    position = (len(ordered) - 1) * rank / 100
    below, above = math.floor(position), math.ceil(position)
    weight = position - below
    return ordered[below] * (1 - weight) + ordered[above] * weight


def latency_summary(latencies_ms: Sequence[float]) -> dict[str, float | None]:
    """p50, p90, p95, p99, max and mean, in milliseconds; None when there are none."""
    ordered = sorted(latencies_ms)
    if not ordered:
        return {**dict.fromkeys(PERCENTILES), "max": None, "mean": None}
    summary: dict[str, float | None] = {
        key: round(percentile(ordered, rank), 2) for key, rank in PERCENTILES.items()
    }
    summary["max"] = round(ordered[-1], 2)
    summary["mean"] = round(statistics.fmean(ordered), 2)
    return summary


def over_rounds(values: Sequence[float | None]) -> dict:
    """The median of a figure over rounds, with its spread (lowest and highest).

    A round that measured nothing (None) is kept in ``values`` but left out of the
    median, so a stack that was down shows as missing, never as a zero.
    """
    measured = [value for value in values if value is not None]
    if not measured:
        return {"median": None, "min": None, "max": None, "values": list(values)}
    return {
        "median": round(statistics.median(measured), 3),
        "min": round(min(measured), 3),
        "max": round(max(measured), 3),
        "values": list(values),
    }


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, 3)
