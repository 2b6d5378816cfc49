"""How the report writes numbers: milliseconds, rates, ratios, counts and spreads.

A missing figure is never written as zero: it reads "not measured" or "failed".
"""

from collections.abc import Callable
from datetime import datetime

NOT_MEASURED = "not measured"
FAILED = "failed"  # measured, but nothing succeeded
OPS = {"<=": "≤", ">=": "≥"}
TIMES, DASH = "\N{MULTIPLICATION SIGN}", "\N{EN DASH}"  # "1.23x", "(4.1-4.6)"


def ms(value: float | None) -> str:
    if value is None:
        return NOT_MEASURED
    return f"{value:.1f}" if abs(value) < 100 else f"{value:,.0f}"


def per_second(value: float | None) -> str:
    """Throughput: whole units, but a decimal under 10 (a few orders a second)."""
    if value is None:
        return NOT_MEASURED
    return f"{value:.1f}" if 0 < abs(value) < 10 else f"{value:,.0f}"


def ratio(value: float | None) -> str:
    return NOT_MEASURED if value is None else f"{value:.2f}{TIMES}"


def decimals(value: float | None) -> str:
    """A ratio's spread: "(0.95-0.97)" after "0.96x", without the sign again."""
    return NOT_MEASURED if value is None else f"{value:.2f}"


def count(value: int | float | None) -> str:
    return NOT_MEASURED if value is None else f"{value:,.0f}"


def seconds(value: float | None) -> str:
    """CPU seconds: two decimals for small figures, fewer for large ones."""
    if value is None:
        return NOT_MEASURED
    return f"{value:.2f}" if abs(value) < 10 else f"{value:,.1f}"


def megabytes(value: float | None) -> str:
    return NOT_MEASURED if value is None else f"{value:,.0f}"


def ms_with_unit(value: float | None) -> str:
    return NOT_MEASURED if value is None else f"{ms(value)} ms"


# The formatter of every figure in a measurement's summary.
FORMATS: dict[str, Callable] = {
    "p50": ms,
    "p90": ms,
    "p99": ms,
    "max": ms,
    "sent_p50": ms,
    "sent_p99": ms,
    "throughput": per_second,
    "rate": per_second,
    "cpu_per_1000": seconds,
    "peak_rss_mb": megabytes,
    "peak_pss_mb": megabytes,
    "requests": count,
    "errors": count,
    "status_5xx": count,
    "oversold": count,
}


def spread(stat: dict | None, fmt: Callable) -> str:
    """The "(min-max)" after a median, with how many rounds measured it if not all."""
    if not stat or stat.get("min") is None:
        return ""
    values = stat.get("values") or []
    measured = sum(value is not None for value in values)
    text = ""
    if measured > 1 and stat["min"] != stat["max"]:
        text = f"({fmt(stat['min'])}{DASH}{fmt(stat['max'])})"
    if measured < len(values):
        text = f"{text} {measured} of {len(values)} rounds".strip()
    return text


def threshold(op: str, value: float | None, unit: str) -> str:
    return f"{OPS.get(op, op)} {by_unit(value, unit)}"


def by_unit(value: float | None, unit: str) -> str:
    """A target's value: a ratio, milliseconds, megabytes or a count."""
    if unit == "ratio":
        return ratio(value)
    if unit == "ms":
        return ms_with_unit(value)
    if unit == "MB":
        return f"{megabytes(value)} MB" if value is not None else megabytes(value)
    return count(value)


def date(iso: str | None) -> str:
    """An ISO 8601 time to the minute, with its time zone when it has one."""
    try:
        moment = datetime.fromisoformat(iso or "")
    except ValueError:
        return iso or "unknown"
    return f"{moment:%Y-%m-%d %H:%M} {moment:%Z}".strip()
