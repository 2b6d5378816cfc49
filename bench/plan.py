"""The measurement plan: what is measured, on which stack, in which order.

Every figure is measured on the monolith and on the services stack one right after
the other (A B A B ...), round after round, so whatever else the machine is doing
hits both alike; the report takes each figure's median over the rounds.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from bench import hop
from bench.scenarios import SCENARIOS

STACKS = ("monolith", "services")
# The file both stacks' seed_demo read (data/README.md), read here without Django.
DEMO_CATALOGUE = Path(__file__).resolve().parents[1] / "data" / "demo-catalogue.json"
# seed_demo's own products, on both stacks; --products adds generated ones.
DEMO_PRODUCTS = sum(
    len(category["products"])
    for category in json.loads(DEMO_CATALOGUE.read_text("utf-8"))["categories"]
)


EVERY_PROCESS = "*"  # a variant's environment for every process of a stack


@dataclass(frozen=True)
class Variant:
    """A stack's configuration: the environment some processes run with."""

    name: str
    label: str
    env: dict[str, dict[str, str]]  # process name (or EVERY_PROCESS) -> environment

    def env_of(self, process: str) -> dict[str, str]:
        """What this variant changes in one process's environment."""
        return {**self.env.get(EVERY_PROCESS, {}), **self.env.get(process, {})}


VARIANTS = {
    v.name: v
    for v in [
        Variant("default", "as `make run` runs it", {}),
        Variant(
            "cache-off",
            "catalog's Redis cache off",
            {"catalog": {"CATALOG_CACHE": "false"}},
        ),
        # Against display-cache-off: with the display cache on, a cart of known
        # products makes no catalog call at all, batched or not.
        Variant(
            "per-item",
            "cart: one catalog call per line, display cache off",
            {
                "storefront": {
                    "STOREFRONT_CART_BATCH": "false",
                    "STOREFRONT_CACHE_SECONDS": "0",
                }
            },
        ),
        Variant(
            "sequential",
            "storefront calls one after another",
            {"storefront": {"STOREFRONT_PARALLEL_CALLS": "false"}},
        ),
        # The outbox's send right after commit off: the relays send every message,
        # a poll later (chassis/outbox.py), polling every 0.1 s instead of 1 s.
        Variant(
            "relay-only",
            "outbox sent by the relays alone",
            {
                name: {"OUTBOX_PUBLISH_ON_COMMIT": "false"}
                for name in (
                    *("orders", "payments", "orders-worker", "payments-worker"),
                    *("orders-relay", "payments-relay"),
                )
            },
        ),
        Variant(
            "display-cache-off",
            "storefront's display cache off",
            {"storefront": {"STOREFRONT_CACHE_SECONDS": "0"}},
        ),
        # --tracing both: the cost of tracing, on both stacks (the runner's stacks
        # run with it off, their spans' folder set: bench/runner.py).
        Variant(
            "traced",
            "every process tracing",
            {EVERY_PROCESS: {"OTEL_SDK_DISABLED": "false"}},
        ),
    ]
}
# What --tracing both measures with tracing on and off: the floor, a read, a page
# (its waterfall too: bench/waterfall.py) and the order's whole saga.
TRACING_COST = ("floor", "product-detail", "home-page", "time-to-paid")


@dataclass(frozen=True)
class Step:
    """One measurement: a scenario on one stack, in one configuration, under one load.

    ``fixed_rate``: an open-model run whose rate is decided when it starts, from the
    closed runs of the same round (a share of the slower stack's throughput).
    """

    round: int
    phase: str  # "main", or "growth" (the catalogue grows between its parts)
    scenario: str
    stack: str
    users: int
    products: int
    variant: str = "default"
    fixed_rate: bool = False

    @property
    def key(self) -> str:
        load = "fixed-rate" if self.fixed_rate else f"{self.users}u"
        return f"{self.scenario}/{self.stack}/{self.variant}/{load}/{self.products}"


@dataclass(frozen=True)
class Settings:
    """The plan's parameters, from the command line (``bench/cli.py``)."""

    rounds: int
    users: int
    sweep: tuple[int, ...]
    sizes: tuple[int, ...]  # catalogue sizes; the first is the main one
    scenarios: tuple[str, ...]  # the ones chosen, in SCENARIOS' order
    stacks: tuple[str, ...] = STACKS
    switches: bool = True  # False when attached: flipping a switch needs a restart
    # Read scenarios also measured at a fixed rate; None: every one that can be.
    fixed_rate: tuple[str, ...] | None = None
    tracing_cost: bool = False  # --tracing both: TRACING_COST traced and not


def build_plan(settings: Settings) -> list[Step]:
    """Every round's measurements, then the growth phase, as a list of steps."""
    steps = []
    for number in range(1, settings.rounds + 1):
        steps += _round(settings, number)
    measured = {step.key for step in steps}
    for size in settings.sizes:
        for number in range(1, settings.rounds + 1):
            # At the main size, the rounds above measured some of these already.
            steps += [
                s for s in _growth(settings, number, size) if s.key not in measured
            ]
    return steps


def _round(settings: Settings, number: int) -> list[Step]:
    """One round: the stacks as `make run` runs them, then each switch flipped.

    The switched blocks measure the services stack only: the monolith has no
    network to save. Its own figures come from the first block of the same round.
    The hop scenario's parts come between the two (``_hop``); with --tracing both,
    both stacks tracing come last (``_traced``).
    """
    chosen = tuple(n for n in settings.scenarios if SCENARIOS[n].side_by_side)
    users, size = settings.users, settings.sizes[0]

    def both(scenario: str, level: int = users, fixed_rate: bool = False) -> list:
        return [
            Step(number, "main", scenario, stack, level, size, fixed_rate=fixed_rate)
            for stack in settings.stacks
        ]

    steps = []
    for name in chosen:  # closed model at --users, every scenario
        steps += both(name)
    for name in chosen:  # the same at a fixed arrival rate
        wanted = settings.fixed_rate is None or name in settings.fixed_rate
        if SCENARIOS[name].fixed_rate and wanted:
            steps += both(name, fixed_rate=True)
    for name in chosen:  # how cost grows with concurrency
        if SCENARIOS[name].sweep:
            for level in settings.sweep:
                if level != users:
                    steps += both(name, level)
    if "services" not in settings.stacks or not settings.switches:
        return steps
    # The hop before the switches: the services as `make run` runs them, no restart.
    return (
        steps
        + _hop(settings, number)
        + _switched(settings, number)
        + _traced(settings, number)
    )


def _switched(settings: Settings, number: int) -> list[Step]:
    """The services stack with each switch flipped, at the main size."""
    chosen, users, size = settings.scenarios, settings.users, settings.sizes[0]
    steps = []
    switched = {
        "per-item": [("cart-page", users)],
        "sequential": [("home-page", n) for n in sorted({min(settings.sweep), users})],
        "relay-only": [("time-to-paid", users), ("order-rush", users)],
        "display-cache-off": [("home-page", users), ("cart-page", users)],
        # Search too: the growth phase, uncached, starts from these figures.
        "cache-off": [
            ("product-list", users),
            ("product-detail", users),
            ("search", users),
        ],
    }
    for variant, measured in switched.items():
        for name, level in measured:
            if name in chosen:
                steps.append(
                    Step(number, "main", name, "services", level, size, variant)
                )
    return steps


def _traced(settings: Settings, number: int) -> list[Step]:
    """--tracing both: a few scenarios again on both stacks, every process tracing,
    against the same scenarios untraced at the start of the round."""
    if not settings.tracing_cost:
        return []
    return [
        Step(number, "main", name, stack, settings.users, settings.sizes[0], "traced")
        for name in settings.scenarios
        if name in TRACING_COST
        for stack in settings.stacks
    ]


def _hop(settings: Settings, number: int) -> list[Step]:
    """The hop scenario's parts, one after another (``bench/hop.py``). Each part is
    a step whose "stack" is the part's name: the bare server and the services stack
    in its default configuration, by one user. Only on stacks the bench started
    (``switches``): the bare server and the storefront's own port are its own."""
    if hop.SCENARIO not in settings.scenarios:
        return []
    size = settings.sizes[0]
    return [
        Step(number, "hop", hop.SCENARIO, part, hop.USERS, size) for part in hop.PARTS
    ]


def _growth(settings: Settings, number: int, size: int) -> list[Step]:
    """List and search as the catalogue grows; the services' cache is off, so
    both stacks' databases do the work."""
    uncached = "cache-off" if settings.switches else "default"
    steps = []
    for name in ("product-list", "search"):
        if name not in settings.scenarios:
            continue
        for stack in settings.stacks:
            variant = uncached if stack == "services" else "default"
            steps.append(
                Step(number, "growth", name, stack, settings.users, size, variant)
            )
    return steps
