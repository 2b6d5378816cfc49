"""Finding measurements in a results document, and reading their figures as cells.

Every lookup copes with what a run may lack: a measurement never made (a scenario left
out, a switch not flipped), a stack that was down (figures None), a key not there.
"""

from bench.report import formatting as fmt
from bench.report.blocks import Cell
from bench.scenarios import SCENARIOS
from bench.stats import over_rounds, ratio

STACKS = ("monolith", "services")
# Scenarios with a section of their own, not a row of the side-by-side tables.
OWN_SECTION = {name for name, s in SCENARIOS.items() if not s.side_by_side}


class Doc:
    """A results document, indexed by measurement key."""

    def __init__(self, document: dict):
        self.document = document
        self.options = document.get("options") or {}
        self.users = self.options.get("users", "?")
        self.size = self.options.get("main_size")
        self.by_key = {m["key"]: m for m in document.get("measurements") or []}

    def scenarios(self) -> list[str]:
        """The side-by-side scenarios the run chose, else every one it describes or
        measured (the hop has a section of its own: ``report/hop.py``)."""
        described = list(self.document.get("scenarios") or {})
        names = self.options.get("scenarios") or described
        seen = [m.get("scenario") for m in self.by_key.values() if m.get("scenario")]
        every = dict.fromkeys([*names, *seen])
        return [name for name in every if name not in OWN_SECTION]

    def title(self, scenario: str) -> str:
        return self.about(scenario).get("title") or scenario

    def about(self, scenario: str) -> dict:
        return (self.document.get("scenarios") or {}).get(scenario) or {}

    def key(self, scenario, stack, variant="default", load=None, products=None):
        load = load or f"{self.users}u"
        return f"{scenario}/{stack}/{variant}/{load}/{products or self.size}"

    def get(self, scenario, stack, **where) -> dict | None:
        return self.by_key.get(self.key(scenario, stack, **where))

    def main(self, scenario: str, stack: str) -> dict | None:
        """The standard measurement: closed model, --users, as `make run` runs it."""
        return self.get(scenario, stack)

    def levels(self, scenario: str) -> list[int]:
        """The user counts a scenario was measured at, closed model, main size."""
        found = {
            m.get("users")
            for m in self.by_key.values()
            if m.get("scenario") == scenario
            and m.get("variant") == "default"
            and not m.get("fixed_rate")
            and m.get("products") == self.size
        }
        return sorted(found)


def stat(entry: dict | None, figure: str) -> dict | None:
    if entry is None:
        return None
    value = (entry.get("summary") or {}).get(figure)
    return value if isinstance(value, dict) else None


def median(entry: dict | None, figure: str) -> float | None:
    return (stat(entry, figure) or {}).get("median")


def total(entry: dict | None, figure: str) -> int | None:
    """A summed figure (errors, 5xx, oversold); None when not measured."""
    if entry is None:
        return None
    return (entry.get("summary") or {}).get(figure)


def failed(entry: dict | None) -> bool:
    return bool(entry) and bool(total(entry, "errors") or total(entry, "status_5xx"))


def figure_cell(entry: dict | None, figure: str) -> Cell:
    """A figure's median over rounds, with its spread, or why there is none."""
    if entry is None:
        return Cell(fmt.NOT_MEASURED, tone="muted")
    value, format_ = stat(entry, figure) or {}, fmt.FORMATS[figure]
    if value.get("median") is None:  # e.g. no CPU figures from an attached stack
        if failed(entry):
            return Cell(fmt.FAILED, tone="bad")
        return Cell(fmt.NOT_MEASURED, tone="muted")
    tone = "bad" if failed(entry) and not value["median"] else ""
    return Cell(format_(value["median"]), fmt.spread(value, format_), tone)


def count_cell(entry: dict | None, figure: str) -> Cell:
    """A summed count; red when it is not zero (errors, 5xx, oversold items)."""
    value = total(entry, figure)
    if value is None:
        return Cell(fmt.NOT_MEASURED, tone="muted")
    return Cell(fmt.count(value), tone="bad" if value else "")


def round_ratio(top: dict | None, bottom: dict | None, figure: str) -> dict | None:
    """top / bottom within each round, then the median over rounds (drift cancels)."""
    tops, bottoms = stat(top, figure), stat(bottom, figure)
    if tops is None or bottoms is None:
        return None
    pairs = zip(tops.get("values") or [], bottoms.get("values") or [], strict=False)
    result = over_rounds([ratio(a, b) for a, b in pairs])
    if result["median"] is None and tops.get("median") and bottoms.get("median"):
        # Never the same round measured both: fall back on the medians' ratio.
        value = ratio(tops["median"], bottoms["median"])
        result = {"median": value, "min": value, "max": value, "values": [value]}
    return result if result["median"] is not None else None


LOWER_IS_BETTER = {"p50", "p90", "p99", "max", "sent_p50", "sent_p99"}
LOWER_IS_BETTER |= {"cpu_per_1000", "peak_rss_mb", "peak_pss_mb"}
RED_LINE = 1.5  # worse than this many times the other: red (the uncached target)


def ratio_tone(value: float | None, figure: str, switch: bool = False) -> str:
    """Green when the numerator does at least as well, red past 1.5 times worse.

    ``switch``: a before / after ratio, where more than 1 means the switch wins.
    """
    if value is None or value <= 0:
        return "muted"
    if switch:
        return "good" if value >= 1 else "bad"
    worse_by = value if figure in LOWER_IS_BETTER else 1 / value
    if worse_by <= 1:
        return "good"
    return "bad" if worse_by > RED_LINE else ""


def ratio_cell(value: dict | None, figure: str, switch: bool = False) -> Cell:
    if value is None:
        return Cell(fmt.NOT_MEASURED, tone="muted")
    tone = ratio_tone(value["median"], figure, switch)
    return Cell(fmt.ratio(value["median"]), fmt.spread(value, fmt.decimals), tone)


def stacks_ratio_cell(services: dict | None, monolith: dict | None, figure) -> Cell:
    """Services / monolith for one figure; "failed" when a stack answered nothing."""
    value = round_ratio(services, monolith, figure)
    nothing = value is None or not value["median"]  # a stack down gives 0 req/s
    if nothing and (failed(services) or failed(monolith)):
        return Cell(fmt.FAILED, tone="bad")
    return ratio_cell(value, figure)
