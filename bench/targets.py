"""Side-by-side comparisons (ratios, round by round) and the targets they are held to.

A ratio is taken within each round, between measurements made minutes apart, and its
median over the rounds is the figure: the machine's drift cancels out that way.
"""

from dataclasses import dataclass

from bench import hop
from bench.plan import STACKS, TRACING_COST
from bench.stats import over_rounds, ratio


@dataclass(frozen=True)
class Comparison:
    id: str
    title: str
    figure: str  # p50, throughput, ...
    numerator: str  # a measurement key, with {u} and {n} for users and products
    denominator: str
    # "stacks" (services / monolith), "switch" (before / after), "floor", "tracing"
    kind: str


def _key(scenario, stack, variant="default", load="{u}u"):
    return f"{scenario}/{stack}/{variant}/{load}/{{n}}"


COMPARISONS = [
    Comparison("detail-uncached", "Product detail p50, services (cache off) / monolith",
               "p50", _key("product-detail", "services", "cache-off"),
               _key("product-detail", "monolith"), "stacks"),
    Comparison("list-uncached", "Product list p50, services (cache off) / monolith",
               "p50", _key("product-list", "services", "cache-off"),
               _key("product-list", "monolith"), "stacks"),
    Comparison("detail-cached", "Product detail p50, services (cache on) / monolith",
               "p50", _key("product-detail", "services"),
               _key("product-detail", "monolith"), "stacks"),
    Comparison("list-cached", "Product list p50, services (cache on) / monolith",
               "p50", _key("product-list", "services"),
               _key("product-list", "monolith"), "stacks"),
    Comparison("floor-monolith", "Product list throughput / floor, monolith",
               "throughput", _key("product-list", "monolith"),
               _key("floor", "monolith"), "floor"),
    Comparison("floor-services", "Product list throughput / floor, services",
               "throughput", _key("product-list", "services"),
               _key("floor", "services"), "floor"),
    Comparison("cart-batch", "Cart page p50, one call per line / one batch call",
               "p50", _key("cart-page", "services", "per-item"),
               _key("cart-page", "services"), "switch"),
    Comparison("cache-list", "Product list p50, cache off / cache on (services)",
               "p50", _key("product-list", "services", "cache-off"),
               _key("product-list", "services"), "switch"),
    Comparison("cache-detail", "Product detail p50, cache off / cache on (services)",
               "p50", _key("product-detail", "services", "cache-off"),
               _key("product-detail", "services"), "switch"),
    Comparison("parallel-one-user", "Home page p50, calls in turn / at once, 1 user",
               "p50", _key("home-page", "services", "sequential", "1u"),
               _key("home-page", "services", load="1u"), "switch"),
    Comparison("parallel", "Home page p50, calls in turn / at once, {u} users",
               "p50", _key("home-page", "services", "sequential"),
               _key("home-page", "services"), "switch"),
    # --tracing both: each stack tracing, against itself untraced in the same round.
    *[
        Comparison(f"tracing-{scenario}-{stack}",
                   f"{scenario} p50, tracing on / off, {stack}", "p50",
                   _key(scenario, stack, "traced"), _key(scenario, stack), "tracing")
        for scenario in TRACING_COST
        for stack in STACKS
    ],
]  # fmt: skip


@dataclass(frozen=True)
class Target:
    id: str
    text: str
    comparison: str | None  # the comparison whose median is held to the threshold
    op: str  # "<=" or ">="
    threshold: float
    unit: str | None = None  # None: "ratio" with a comparison, else from the text


TARGETS = [
    Target("detail-uncached", "services / monolith p50, product detail, uncached",
           "detail-uncached", "<=", 1.5),
    Target("list-uncached", "services / monolith p50, product list, uncached",
           "list-uncached", "<=", 1.5),
    Target("detail-cached", "services / monolith p50, product detail, cache on",
           "detail-cached", "<=", 1.0),
    Target("list-cached", "services / monolith p50, product list, cache on",
           "list-cached", "<=", 1.0),
    Target("floor-monolith", "product list throughput >= 50% of the floor, monolith",
           "floor-monolith", ">=", 0.5),
    Target("floor-services", "product list throughput >= 50% of the floor, services",
           "floor-services", ">=", 0.5),
    Target("cart-batch", "batched cart page at least 3x faster than per-line (p50)",
           "cart-batch", ">=", 3.0),
    Target("time-to-paid", "time-to-paid p50 on the services stack <= 300 ms",
           None, "<=", 300.0),
    Target("one-hop", "one internal hop <= 3x the bare loopback round trip (p50)",
           None, "<=", 3.0, unit="ratio"),
    Target("no-5xx", "zero 5xx answers in every scenario", None, "<=", 0),
    Target("no-oversold", "zero oversold items in every scenario", None, "<=", 0),
]  # fmt: skip


def compare(results) -> list[dict]:
    users, products = (
        results.meta["options"]["users"],
        results.meta["options"]["main_size"],
    )
    rows = []
    for c in COMPARISONS:
        top = c.numerator.format(u=users, n=products)
        bottom = c.denominator.format(u=users, n=products)
        if top not in results.measurements or bottom not in results.measurements:
            continue
        per_round = [
            ratio(a, b)
            for a, b in zip(
                results.values(top, c.figure),
                results.values(bottom, c.figure),
                strict=True,
            )
        ]
        rows.append({
            "id": c.id, "title": c.title.format(u=users), "kind": c.kind,
            "figure": c.figure, "numerator": top, "denominator": bottom,
            **over_rounds(per_round),
        })  # fmt: skip
    return rows


def evaluate(results, comparisons: list[dict]) -> list[dict]:
    by_id = {row["id"]: row for row in comparisons}
    options = results.meta["options"]
    paid_key = (
        f"time-to-paid/services/default/{options['users']}u/{options['main_size']}"
    )
    totals = {
        "no-5xx": _total(results, "status_5xx"),
        "no-oversold": _total(results, "oversold"),
    }
    rows = []
    for target in TARGETS:
        if target.comparison:
            value = by_id.get(target.comparison, {}).get("median")
        elif target.id == "time-to-paid":
            entry = results.measurements.get(paid_key)
            value = results.summary(paid_key)["p50"]["median"] if entry else None
        elif target.id == "one-hop":
            value = (hop_multiples(results) or {}).get("hop", {}).get("median")
        else:
            value = totals[target.id]
        met = None
        if value is not None:
            met = (
                value <= target.threshold
                if target.op == "<="
                else value >= target.threshold
            )
        rows.append({
            "id": target.id, "text": target.text, "op": target.op,
            "threshold": target.threshold, "value": value, "met": met,
            **({"unit": target.unit} if target.unit else {}),
        })  # fmt: skip
    return rows


def hop_multiples(results) -> dict | None:
    """The hop scenario's multiples of the bare round trip (``bench/hop.py``), each
    part's p50 per round; None when the run did not measure the hop."""
    products = results.meta["options"]["main_size"]
    keys = {part: hop.key(part, products) for part in hop.PARTS}
    if not any(key in results.measurements for key in keys.values()):
        return None
    return hop.multiples(
        {part: results.values(key, "p50") for part, key in keys.items()}
    )


def _total(results, figure: str) -> int | None:
    if not results.measurements:
        return None
    return sum(
        value or 0
        for key in results.measurements
        for value in results.values(key, figure)
    )
