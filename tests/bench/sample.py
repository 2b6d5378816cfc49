"""A realistic results document, made up without running anything.

The numbers come from a seeded random stream, so every test sees the same document.
One services measurement (search at the standard concurrency) had its stack down.
"""

import math
import random

from bench.plan import VARIANTS, Settings, build_plan
from bench.results import Results
from bench.scenarios import SCENARIOS, SESSION_WEIGHTS

DOWN_KEY = "search/services/default/8u/1000"
OVERSOLD_KEY = "order-rush/services/default/32u/1000"
WINDOW_S = 10.0
BASE_MS = {
    "floor": 3.0,
    "product-list": 5.0,
    "product-detail": 4.0,
    "search": 9.0,
    "home-page": 18.0,
    "cart-page": 22.0,
    "time-to-paid": 140.0,
    "order-rush": 28.0,
    "shop-session": 24.0,
}
# The services stack's cost for each scenario, and each switch's, as a multiplier.
NETWORK = {"floor": 1.0, "product-list": 0.9, "product-detail": 0.9, "search": 1.3}
SWITCH = {
    "default": 1.0,
    "cache-off": 1.6,
    "per-item": 4.5,
    "sequential": 1.7,
    "relay-only": 1.5,
    "display-cache-off": 1.8,
    "traced": 1.2,
}
FLOW_REQUESTS = {"time to paid": 5, "order placed": 1}
# The hop scenario's parts (bench/hop.py): one user's round trips, in ms.
HOP_MS = {"hello": 0.45, "floor": 1.4, "direct": 1.5, "gateway": 2.5}


def options() -> dict:
    return {
        "duration": WINDOW_S,
        "warmup": 2.0,
        "rounds": 3,
        "users": 8,
        "sweep": [1, 8, 32],
        "sizes": [1000, 10000],
        "main_size": 1000,
        "scenarios": list(SCENARIOS),
        "fixed_rate_share": 0.5,
        "workers": 2,
        "threads": 4,
        "attached": False,
        "database": "sqlite",
        "tracing": "on",
    }


def stacks() -> dict:
    web = {"name": "gunicorn", "role": "web", "workers": 2, "threads": 4}
    common = {"started_by_bench": True, "data": {"products": 1000, "accounts": 8}}
    services = ["gateway", "catalog", "orders", "payments", "storefront"]
    return {
        "monolith": {
            **common,
            "base_url": "http://127.0.0.1:8000",
            "settings": "monolith.settings.bench",
            "database": "SQLite (WAL)",
            "redis": "redis://127.0.0.1:6379/0",
            "processes": [
                web,
                {"name": "celery", "role": "worker", "concurrency": 2},
                {"name": "redis", "role": "redis"},
            ],
        },
        "services": {
            **common,
            "base_url": "http://127.0.0.1:9000",
            "settings": "extracted_services.<name>.settings.bench",
            "database": "SQLite (WAL), one per service",
            "redis": "redis://127.0.0.1:6379/1",
            "processes": [{**web, "name": f"gunicorn {name}"} for name in services]
            + [
                {"name": "celery", "role": "worker", "concurrency": 2},
                {"name": "orders-relay", "role": "relay"},
                {"name": "redis", "role": "redis"},
            ],
        },
    }


def meta() -> dict:
    scenarios = {
        name: {
            "title": s.title,
            "what": s.what,
            "kind": s.kind,
            "figure": s.figure,
            **({"weights": dict(SESSION_WEIGHTS)} if name == "shop-session" else {}),
        }
        for name, s in SCENARIOS.items()
    }
    return {
        "started_at": "2025-06-02T09:14:03+00:00",
        "finished_at": "2025-06-02T10:02:41+00:00",
        "quick": False,
        "interrupted": False,
        "warnings": ["the machine was busy: load average 3.2 when the run started"],
        "options": options(),
        "machine": {
            "cpu_model": "AMD Ryzen 7 5800U",
            "cpus": 16,
            "memory_gib": 30.7,
            "os": "Linux 6.8.0 (Ubuntu 24.04)",
            "python": "3.11.7",
            "packages": {"django": "5.2.19", "djangorestframework": "3.16.0"},
            "redis_server": "7.0.15",
            "sqlite": "3.45.1",
        },
        "stacks": stacks(),
        "scenarios": scenarios,
        "variants": {name: v.label for name, v in VARIANTS.items()},
    }


def latency(p50: float, spread: float = 1.0) -> dict:
    return {
        "p50": round(p50, 2),
        "p90": round(p50 * 1.6 * spread, 2),
        "p95": round(p50 * 2.0 * spread, 2),
        "p99": round(p50 * 3.1 * spread, 2),
        "max": round(p50 * 6.0 * spread, 2),
        "mean": round(p50 * 1.2, 2),
    }


def p50_ms(step, rng: random.Random) -> float:
    if step.scenario == "hop":  # its "stack" is the part
        return HOP_MS[step.stack] * rng.uniform(0.94, 1.06)
    base = BASE_MS[step.scenario] * rng.uniform(0.94, 1.06)
    if step.stack == "services":
        base *= NETWORK.get(step.scenario, 1.4) * SWITCH[step.variant]
    elif step.variant == "traced":  # the only variant measured on the monolith
        base *= SWITCH["traced"]
    load = 0.8 if step.users == 1 else max(1.0, step.users / 8) ** 0.9
    size = step.products / 1000
    if step.scenario == "search":
        load *= size**0.6
    elif step.scenario == "product-list":
        load *= 1 + 0.15 * math.log10(size)
    return base * load


def outcome(step, rng: random.Random, rate: float | None) -> dict:
    """One round's record, in the shape ``bench.recorder`` and the runner give."""
    if step.key == DOWN_KEY:
        return down(step)
    figure = SCENARIOS[step.scenario].figure or "requests"
    p50 = p50_ms(step, rng)
    due = latency(p50 * (2.5 if step.stack == "services" else 1.6), 1.8)
    service = latency(p50 * 0.8) if rate else None
    throughput = rate or step.users / (p50 * 1.2 / 1000)
    count = int(throughput * WINDOW_S)
    requests = count * FLOW_REQUESTS.get(figure, 1)
    cpu = requests * rng.uniform(0.8, 1.3) / 1000
    return {
        "window_s": WINDOW_S,
        "requests": requests,
        "errors": 0,
        "status_5xx": 0,
        "no_answer": 0,
        "statuses": {"200": requests},
        "problems": {},
        "figure": {
            "name": figure,
            "count": count,
            "failed": 0,
            "throughput": round(count / WINDOW_S, 2),
            "latency": due if rate else latency(p50),
            "service_latency": service,
        },
        "by_name": {step.scenario: {"count": requests, "errors": 0, **latency(p50)}},
        "users": step.users,
        "rate": rate,
        "due_sent": count if rate else None,
        "setup_failures": 0,
        "accepted": {},
        "cost": {
            "cpu_seconds": round(cpu, 2),
            "cpu_per_1000": round(cpu * 1000 / max(requests, 1), 3),
            "peak_rss_mb": round(
                rng.uniform(180, 220) * (3 if step.stack != "monolith" else 1), 1
            ),
            "peak_pss_mb": round(
                rng.uniform(120, 150) * (2.5 if step.stack != "monolith" else 1), 1
            ),
            "processes": 3 if step.stack == "monolith" else 8,
            "loadgen_cpu_seconds": round(cpu * 0.4, 2),
        },
        "stock": stock(step),
        "started_at": "2025-06-02T09:20:00+00:00",
    }


def stock(step) -> dict | None:
    if not SCENARIOS[step.scenario].touches_stock:
        return None
    return {"checked": 40, "oversold": int(step.key == OVERSOLD_KEY), "drift": 0}


def down(step) -> dict:
    """A stack that was down: every request refused or answered 503."""
    empty = dict.fromkeys(("p50", "p90", "p95", "p99", "max", "mean"))
    return {
        "window_s": WINDOW_S,
        "requests": 2400,
        "errors": 2400,
        "status_5xx": 2100,
        "no_answer": 300,
        "statuses": {"0": 300, "503": 2100},
        "problems": {"HTTP 503": 2100, "no answer: ConnectionRefusedError()": 300},
        "figure": {
            "name": "requests",
            "count": 0,
            "failed": 2400,
            "throughput": 0.0,
            "latency": empty,
            "service_latency": None,
        },
        "by_name": {"/api/products/?search=[word]": {"count": 2400, "errors": 2400}},
        "users": step.users,
        "rate": None,
        "due_sent": None,
        "setup_failures": 0,
        "accepted": {},
        "cost": None,
        "stock": None,
        "started_at": "2025-06-02T09:21:00+00:00",
    }


def span(process: str, name: str, start: float, took: float, depth: int) -> dict:
    return {
        "process": process,
        "name": name,
        "start_ms": start,
        "duration_ms": took,
        "depth": depth,
    }


# The median traces a traced run keeps (bench/waterfall.py), cut short.
WATERFALLS = {
    "time-to-paid": {
        "monolith": {
            "trace_id": "8aee0f5e9d78aa444a8c7cf7dd5b19bf", "traced": 41,
            "root_ms": 28.9, "total_ms": 38.3,
            "spans": [
                span("monolith", "POST api/orders/", 0.0, 28.9, 0),
                span("monolith", "INSERT", 14.1, 0.4, 1),
                span("monolith", "apply_async/orders.order_confirmation_send",
                     16.6, 8.7, 1),
                span("monolith-worker", "run/orders.order_confirmation_send",
                     26.2, 12.1, 2),
            ],
        },
        "services": {
            "trace_id": "dceb9ec6c19afd2b2c40205a54abc78f", "traced": 12,
            "root_ms": 189.3, "total_ms": 662.9,
            "spans": [
                span("gateway", "POST proxy", 0.0, 189.3, 0),
                span("gateway", "POST", 50.8, 136.8, 1),
                span("orders", "POST api/orders/", 57.1, 125.5, 2),
                span("catalog", "POST internal/reservations/", 128.7, 23.9, 3),
                span("orders-relay", "outbox publish payments.charge", 171.1, 98.7, 3),
                span("payments-worker", "run/payments.charge", 279.9, 183.6, 5),
                span("orders-worker", "run/orders.payment_result", 540.2, 67.4, 7),
                span("reports-consumer", "consume order.paid", 645.6, 17.3, 9),
            ],
        },
    },
    "home-page": {
        "monolith": {
            "trace_id": "0a58223ea8fc4061a64905acd1229d9a", "traced": 300,
            "root_ms": 9.3, "total_ms": 9.3,
            "spans": [
                span("monolith", "GET product-list", 0.0, 9.3, 0),
                span("monolith", "SELECT", 3.1, 0.2, 1),
            ],
        },
        "services": {
            "trace_id": "2992c8f5b3ea4d6e3da1381fec60f110", "traced": 120,
            "root_ms": 48.1, "total_ms": 48.1,
            "spans": [
                span("gateway", "GET proxy", 0.0, 48.1, 0),
                span("storefront", "GET product-list", 7.8, 27.6, 1),
                span("catalog", "GET api/categories/", 15.9, 6.5, 2),
            ],
        },
    },
}  # fmt: skip


def sample_document(*, tracing_cost: bool = False, **changes) -> dict:
    """The document ``python -m bench`` would write, with ``changes`` to its meta.

    The run traced (its waterfalls are in); ``tracing_cost``: as --tracing both.
    """
    settings = Settings(
        rounds=3,
        users=8,
        sweep=(1, 8, 32),
        sizes=(1000, 10000),
        scenarios=tuple(SCENARIOS),
        tracing_cost=tracing_cost,
    )
    rng = random.Random(7)
    # The hop's own stream: the other figures stay as they were before it existed.
    hop_rng = random.Random(11)
    described = {**meta(), **changes}
    if tracing_cost:
        described["options"] = {**described["options"], "tracing": "both"}
    results = Results(described, settings.rounds)
    for step in build_plan(settings):
        # Both stacks get the same rate: a share of the services' closed throughput.
        rate = None
        if step.fixed_rate:
            rate = round(0.5 * 8 / (BASE_MS[step.scenario] * 1.4) * 1000, 1)
        stream = hop_rng if step.scenario == "hop" else rng
        results.add(step, outcome(step, stream, rate))
    results.complete = not changes.get("interrupted", False)
    results.waterfalls = WATERFALLS
    return results.to_dict()
