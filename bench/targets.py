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


def _key(scenario, stack, variant="default", load="{u}u", size="{n}"):
    """A measurement's key, with {u} (users) and {n} (the main catalogue size), or
    {big} (the largest) for ``size``, filled in by ``compare``."""
    return f"{scenario}/{stack}/{variant}/{load}/{size}"


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
    Comparison("home-page", "Home page p50, services / monolith", "p50",
               _key("home-page", "services"), _key("home-page", "monolith"), "stacks"),
    Comparison("cart-page", "Cart page p50, services / monolith", "p50",
               _key("cart-page", "services"), _key("cart-page", "monolith"), "stacks"),
    Comparison("time-to-paid", "Time to paid p50, services / monolith", "p50",
               _key("time-to-paid", "services"), _key("time-to-paid", "monolith"),
               "stacks"),
    Comparison("order-rush", "Order rush throughput, services / monolith",
               "throughput", _key("order-rush", "services"),
               _key("order-rush", "monolith"), "stacks"),
    Comparison("floor-monolith", "Product list throughput / floor, monolith",
               "throughput", _key("product-list", "monolith"),
               _key("floor", "monolith"), "floor"),
    Comparison("floor-services", "Product list throughput / floor, services",
               "throughput", _key("product-list", "services"),
               _key("floor", "services"), "floor"),
    Comparison("cart-batch", "Cart page p50, one call per line / one batch call",
               "p50", _key("cart-page", "services", "per-item"),
               _key("cart-page", "services", "display-cache-off"), "switch"),
    Comparison("cache-list", "Product list p50, cache off / cache on (services)",
               "p50", _key("product-list", "services", "cache-off"),
               _key("product-list", "services"), "switch"),
    Comparison("cache-detail", "Product detail p50, cache off / cache on (services)",
               "p50", _key("product-detail", "services", "cache-off"),
               _key("product-detail", "services"), "switch"),
    Comparison("send-on-commit", "Time to paid p50, relays only / sent on commit",
               "p50", _key("time-to-paid", "services", "relay-only"),
               _key("time-to-paid", "services"), "switch"),
    Comparison("send-on-commit-rush",
               "Order rush throughput, sent on commit / relays only", "throughput",
               _key("order-rush", "services"),
               _key("order-rush", "services", "relay-only"), "switch"),
    Comparison("display-cache-home", "Home page p50, display cache off / on", "p50",
               _key("home-page", "services", "display-cache-off"),
               _key("home-page", "services"), "switch"),
    Comparison("display-cache-cart", "Cart page p50, display cache off / on", "p50",
               _key("cart-page", "services", "display-cache-off"),
               _key("cart-page", "services"), "switch"),
    Comparison("parallel-one-user", "Home page p50, calls in turn / at once, 1 user",
               "p50", _key("home-page", "services", "sequential", "1u"),
               _key("home-page", "services", load="1u"), "switch"),
    Comparison("parallel", "Home page p50, calls in turn / at once, {u} users",
               "p50", _key("home-page", "services", "sequential"),
               _key("home-page", "services"), "switch"),
    # The growth phase: search at the largest catalogue against the main size, each
    # stack's database doing the work (the services' cache off).
    Comparison("search-growth-monolith",
               "Search p50, largest / main catalogue, monolith",
               "p50", _key("search", "monolith", size="{big}"),
               _key("search", "monolith"), "growth"),
    Comparison("search-growth-services",
               "Search p50, largest / main catalogue, services",
               "p50", _key("search", "services", "cache-off", size="{big}"),
               _key("search", "services", "cache-off"), "growth"),
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
    # Issue 11's targets: the services within reach of the monolith.
    Target("floor-monolith", "product list throughput >= 50% of the floor, monolith",
           "floor-monolith", ">=", 0.5),
    Target("floor-services", "product list throughput >= 50% of the floor, services",
           "floor-services", ">=", 0.5),
    Target("detail-cached", "services / monolith p50, product detail, cache on",
           "detail-cached", "<=", 1.2),
    Target("list-cached", "services / monolith p50, product list, cache on",
           "list-cached", "<=", 1.2),
    Target("home-page", "services / monolith p50, home page", "home-page", "<=", 1.5),
    Target("cart-page", "services / monolith p50, cart page", "cart-page", "<=", 1.5),
    Target("time-to-paid", "services / monolith p50, time to paid", "time-to-paid",
           "<=", 3.0),
    Target("order-rush", "services / monolith throughput, order rush", "order-rush",
           ">=", 0.7),
    Target("search-growth-monolith",
           "search p50 at the largest catalogue <= 2x at the main size, monolith",
           "search-growth-monolith", "<=", 2.0),
    Target("search-growth-services",
           "search p50 at the largest catalogue <= 2x at the main size, services",
           "search-growth-services", "<=", 2.0),
    Target("one-hop", "one internal hop <= 3x the bare loopback round trip (p50)",
           None, "<=", 3.0, unit="ratio"),
    Target("memory-ratio", "services / monolith peak memory (every process)",
           None, "<=", 2.0, unit="ratio"),
    Target("memory-services", "services stack's peak memory (every process)",
           None, "<=", 1024.0, unit="MB"),
    Target("no-errors", "zero errors in every scenario", None, "<=", 0),
    Target("no-oversold", "zero oversold items in every scenario", None, "<=", 0),
    # The benchmark's first targets (the course's), still held.
    Target("detail-uncached", "services / monolith p50, product detail, uncached",
           "detail-uncached", "<=", 1.5),
    Target("list-uncached", "services / monolith p50, product list, uncached",
           "list-uncached", "<=", 1.5),
    Target("cart-batch", "batched cart page at least 3x faster than per-line (p50)",
           "cart-batch", ">=", 3.0),
    Target("no-5xx", "zero 5xx answers in every scenario", None, "<=", 0),
]  # fmt: skip


def compare(results) -> list[dict]:
    options = results.meta["options"]
    sizes = {"n": options["main_size"], "big": max(options.get("sizes") or [0])}
    rows = []
    for c in COMPARISONS:
        top = c.numerator.format(u=options["users"], **sizes)
        bottom = c.denominator.format(u=options["users"], **sizes)
        if top == bottom:  # one catalogue size only: no growth to compare
            continue
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
            "id": c.id, "title": c.title.format(u=options["users"]), "kind": c.kind,
            "figure": c.figure, "numerator": top, "denominator": bottom,
            **over_rounds(per_round),
        })  # fmt: skip
    return rows


def evaluate(results, comparisons: list[dict]) -> list[dict]:
    by_id = {row["id"]: row for row in comparisons}
    memory = peak_memory(results)
    values = {
        "no-errors": _total(results, "errors"),
        "no-5xx": _total(results, "status_5xx"),
        "no-oversold": _total(results, "oversold"),
        "one-hop": (hop_multiples(results) or {}).get("hop", {}).get("median"),
        "memory-ratio": memory.get("ratio", {}).get("median"),
        "memory-services": memory.get("services", {}).get("median"),
    }
    rows = []
    for target in TARGETS:
        if target.comparison:
            value = by_id.get(target.comparison, {}).get("median")
        else:
            value = values[target.id]
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


def peak_memory(results) -> dict:
    """Each stack's peak memory in MB, and services / monolith, round by round.

    A round's peak is the largest any of the stack's measurements saw, as `make run`
    runs it (the default configuration): ``peak_pss_mb`` where the run measured it
    (shared pages counted once, ``bench/costs.py``), else ``peak_rss_mb``.
    """
    per_stack: dict[str, list] = {}
    for stack in STACKS:
        keys = [
            key
            for key, entry in results.measurements.items()
            if entry["stack"] == stack and entry["variant"] == "default"
        ]
        per_round = []
        for number in range(1, results.rounds + 1):
            seen = [
                results.value(key, "peak_pss_mb", number)
                or results.value(key, "peak_rss_mb", number)
                for key in keys
            ]
            seen = [value for value in seen if value]
            per_round.append(max(seen) if seen else None)
        per_stack[stack] = per_round
    if not any(per_stack["services"]):
        return {}
    return {
        **{stack: over_rounds(values) for stack, values in per_stack.items()},
        "ratio": over_rounds(
            [
                ratio(a, b)
                for a, b in zip(
                    per_stack["services"], per_stack["monolith"], strict=True
                )
            ]
        ),
    }


def _total(results, figure: str) -> int | None:
    if not results.measurements:
        return None
    return sum(
        value or 0
        for key in results.measurements
        for value in results.values(key, figure)
    )
