"""The figures of docs/comparison.md, drawn from the record, between two markers.

Only what lies between the markers is written; the prose around it is the page's own.
"""

import textwrap

from bench.report import formatting as fmt

START, END = "<!-- figures:start -->", "<!-- figures:end -->"
DATABASES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
WIDTH = 88  # the page's own line length
# A quick run checks that everything works; its windows are too short to compare.
QUICK_NOTE = (
    "**Quick runs**: smoke tests, with measurements too short to compare; their "
    "figures show the shape of the differences, not their size."
)
CHAOS_ROWS = {
    "lost": "orders lost",
    "stuck_pending": "orders stuck `pending`",
    "double_charged": "orders charged twice",
    "payment_mismatches": "payments that disagree with their order",
    "stock_mismatches": "stock that disagrees with the orders",
    "errors_5xx": "5xx answers (besides 503 with Retry-After)",
    "hangs": "requests never answered",
}


class PageError(Exception):
    """The page lacks its markers: nothing is written."""


def wrap(text: str, indent: str = "") -> list[str]:
    """A paragraph, or a list item with ``indent`` under its first line."""
    return textwrap.wrap(
        text,
        WIDTH,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def table(heading: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(heading) + " |", "|" + "---|" * len(heading)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def render(record: dict) -> str:
    """The block between the markers, markers included."""
    lines = [START, "", *sources(record)]
    for section in (code, latency, costs, faults):
        lines += ["", *section(record)]
    return "\n".join([*lines, "", END])


def sources(record: dict) -> list[str]:
    bench, chaos = record["bench"], record["chaos"]
    settings, plan = bench["settings"], chaos["settings"]
    database = DATABASES.get(settings["database"], settings["database"])
    lines = wrap(
        "Written by `python -m bench.compare` from these runs (recorded at commit "
        f"`{record['commit']}`):"
    )
    rounds = plural(settings["rounds"], "round")
    lines += [""]
    lines += wrap(
        f"- **benchmark**: a {bench['kind']} run, `{bench['run']}`, "
        f"{fmt.date(bench['started_at'])}; {rounds} of {settings['seconds']} s per "
        f"measurement, {settings['users']} users, {settings['products']:,} products, "
        f"{database}; {bench['machine']}.",
        "  ",
    )
    lines += wrap(
        f"- **chaos**: a {chaos['kind']} run, `{chaos['run']}`, "
        f"{fmt.date(chaos['written_at'])}; {plan['orders']} orders per stack from "
        f"{plan['users']} customers at once, seed {plan['seed']}; {chaos['machine']}.",
        "  ",
    )
    if "quick" in (bench["kind"], chaos["kind"]):
        lines += ["", *wrap(QUICK_NOTE)]
    return lines


def code(record: dict) -> list[str]:
    size, processes = record["code"], record["processes"]
    parts = ", ".join(
        f"{name} {lines:,}" for name, lines in size["services_parts"].items()
    )
    return [
        "### Code",
        "",
        *table(
            ["", "monolith", "services"],
            [
                ["lines of Python", f"{size['monolith']:,}", f"{size['services']:,}"],
                [
                    "processes to run (`compose/Procfile`)",
                    str(processes["monolith"]),
                    str(processes["services"]),
                ],
            ],
        ),
        "",
        *wrap(
            f"Services, part by part: {parts}. Non-blank lines, tests and "
            "migrations left out, counted when the figures were recorded."
        ),
    ]


def latency(record: dict) -> list[str]:
    bench = record["bench"]
    rows = []
    for name, pair in bench["scenarios"].items():
        m, s = pair["monolith"], pair["services"]
        rows.append(
            [
                name,
                fmt.ms(m["p50"]),
                fmt.ms(s["p50"]),
                fmt.ratio(pair["ratio_p50"]),
                fmt.ms(m["p99"]),
                fmt.ms(s["p99"]),
                fmt.per_second(m["throughput"]),
                fmt.per_second(s["throughput"]),
            ]
        )
    hop = bench["hop"]
    return [
        "### Latency and throughput",
        "",
        *table(
            [
                "scenario",
                "p50 ms, monolith",
                "p50 ms, services",
                "services / monolith",
                "p99 ms, monolith",
                "p99 ms, services",
                "req/s, monolith",
                "req/s, services",
            ],
            rows,
        ),
        "",
        *wrap(
            f"Medians over the rounds at {bench['settings']['users']} users; the "
            "ratio is taken within each round. req/s counts orders for time-to-paid "
            "and order-rush. One internal hop (through the gateway, against a direct "
            f"call) costs {fmt.ratio(hop['hop'])} a bare loopback round trip; a "
            f"whole Django request {fmt.ratio(hop['django'])}."
        ),
    ]


def costs(record: dict) -> list[str]:
    bench = record["bench"]
    stacks = bench["stacks"]
    rows = [
        [
            name,
            fmt.seconds(pair["monolith"]["cpu_per_1000"]),
            fmt.seconds(pair["services"]["cpu_per_1000"]),
        ]
        for name, pair in bench["scenarios"].items()
    ]
    m, s = stacks["monolith"], stacks["services"]
    return [
        "### CPU and memory",
        "",
        *table(
            ["scenario", "CPU s per 1,000, monolith", "CPU s per 1,000, services"], rows
        ),
        "",
        *table(
            ["", "monolith", "services"],
            [
                [
                    "peak memory, all processes (MB)",
                    fmt.megabytes(m["peak_rss_mb"]),
                    fmt.megabytes(s["peak_rss_mb"]),
                ],
                [
                    "processes measured",
                    fmt.count(m["processes"]),
                    fmt.count(s["processes"]),
                ],
                ["errors", fmt.count(m["errors"]), fmt.count(s["errors"])],
                ["5xx answers", fmt.count(m["status_5xx"]), fmt.count(s["status_5xx"])],
                ["items oversold", fmt.count(m["oversold"]), fmt.count(s["oversold"])],
            ],
        ),
        "",
        *wrap(
            "CPU: every process of the stack, per 1,000 requests (orders, for the "
            "order scenarios). Memory: the highest sum of resident memory over the "
            "scenarios. Processes measured counts web workers, Celery's children and "
            "the stack's Redis, so it is more than the Procfile's lines."
        ),
    ]


def faults(record: dict) -> list[str]:
    chaos = record["chaos"]
    stacks = chaos["stacks"]
    m, s = stacks["monolith"], stacks["services"]
    rows = [
        [
            "orders accepted",
            fmt.count(m["orders_accepted"]),
            fmt.count(s["orders_accepted"]),
        ]
    ]
    rows += [
        [text, fmt.count(m[key]), fmt.count(s[key])] for key, text in CHAOS_ROWS.items()
    ]
    rows += [
        [
            "p99 while a fault was in effect (ms)",
            fmt.ms(m["p99_degraded_ms"]),
            fmt.ms(s["p99_degraded_ms"]),
        ],
        [
            "seconds to settle after the last order",
            str(m["settle_s"]),
            str(s["settle_s"]),
        ],
    ]
    verdict = "held" if chaos["passed"] else "did NOT hold"
    return [
        "### Faults and consistency",
        "",
        *table(["", "monolith", "services"], rows),
        "",
        *wrap(
            f"Every invariant {verdict} (the p99 bound: "
            f"{fmt.ms_with_unit(chaos['degraded_p99_bound_ms'])}). The faults, in "
            "order:"
        ),
        "",
        *wrap(f"- monolith: {'; '.join(m['faults'])}.", "  "),
        *wrap(f"- services: {'; '.join(s['faults'])}.", "  "),
    ]


def replace(page: str, block: str) -> str:
    """The page with ``block`` in place of what lies between its markers."""
    start, end = page.find(START), page.find(END)
    if start < 0 or end < start:
        raise PageError(f"the page needs the markers {START} and {END}, in this order")
    return page[:start] + block + page[end + len(END) :]
