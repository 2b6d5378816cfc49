"""Section "How cost grows": latency and throughput as the users grow in number, orders
and the stock check under load, and list and search as the catalogue grows.
"""

from bench.report import formatting as fmt
from bench.report.blocks import (
    STACK_COLOURS,
    Block,
    Cell,
    Charts,
    Heading,
    Lines,
    Section,
    Series,
    Table,
    Text,
    stack_headers,
)
from bench.report.data import STACKS, Doc, count_cell, figure_cell, stacks_ratio_cell
from bench.report.tables import bar_value, scenario_cell

GROWING = ("product-list", "search")  # measured as the catalogue grows
STACK_NAMES = ("Monolith", "Services")


def section(doc: Doc) -> Section:
    swept = [name for name in doc.scenarios() if len(doc.levels(name)) > 1]
    blocks: list[Block] = [Heading("With concurrency")]
    if swept:
        blocks += [
            Text(
                "The same scenarios with more users at once. Past the servers' "
                "threads, requests queue: latency grows, throughput levels off."
            ),
            sweep_table(doc, swept),
            Charts([chart for name in swept for chart in sweep_charts(doc, name)]),
        ]
    else:
        blocks.append(Text("Concurrency sweep: not measured."))
    if "order-rush" in swept:
        blocks += [Heading("Orders under load"), orders_table(doc)]
    blocks += size_blocks(doc)
    return Section("growth", "How cost grows", blocks)


def pair(doc: Doc, name: str, figure: str, **where) -> list[Cell]:
    return [figure_cell(doc.get(name, stack, **where), figure) for stack in STACKS]


def sweep_table(doc: Doc, names: list[str]) -> Table:
    rows = []
    for name in names:
        for users in doc.levels(name):
            first = users == doc.levels(name)[0]  # the name once, atop its rows
            row = [scenario_cell(doc, name) if first else Cell(""), Cell(str(users))]
            for figure in ("p50", "p99", "throughput"):
                row += pair(doc, name, figure, load=f"{users}u")
            rows.append(row)
    headers = [Cell("Scenario"), Cell("Users"), *stack_headers(*STACK_NAMES * 3)]
    groups = [("", 2), ("p50 (ms)", 2), ("p99 (ms)", 2), ("Throughput (/s)", 2)]
    return Table(headers, rows, groups, "Closed model, by number of users")


def stack_lines(doc, name, figure, loads, dashed=False, suffix="") -> list[Series]:
    return [
        Series(
            f"{stack.capitalize()}{suffix}",
            [bar_value(doc.get(name, stack, **load), figure) for load in loads],
            STACK_COLOURS[stack],
            dashed,
        )
        for stack in STACKS
    ]


def sweep_charts(doc: Doc, name: str) -> list[Lines]:
    levels = doc.levels(name)
    loads = [{"load": f"{users}u"} for users in levels]
    labels = [str(users) for users in levels]
    latency = stack_lines(doc, name, "p50", loads, suffix=" p50")
    latency += stack_lines(doc, name, "p99", loads, dashed=True, suffix=" p99")
    title = doc.title(name)
    return [
        Lines(f"{title}: latency", labels, "users", latency, "ms"),
        Lines(
            f"{title}: throughput",
            labels,
            "users",
            stack_lines(doc, name, "throughput", loads),
            "/s",
        ),
    ]


def orders_table(doc: Doc) -> Table:
    rows = []
    for users in doc.levels("order-rush"):
        entries = [doc.get("order-rush", s, load=f"{users}u") for s in STACKS]
        rows.append(
            [
                Cell(str(users)),
                *[figure_cell(e, "throughput") for e in entries],
                *[count_cell(e, "oversold") for e in entries],
                *[count_cell(e, "errors") for e in entries],
            ]
        )
    headers = [Cell("Users"), *stack_headers(*STACK_NAMES * 3)]
    groups = [
        ("", 1),
        ("Orders placed per second", 2),
        ("Items oversold", 2),
        ("Errors", 2),
    ]
    return Table(headers, rows, groups, "Order throughput, and the stock check")


def size_blocks(doc: Doc) -> list[Block]:
    sizes = doc.options.get("sizes") or []
    names = [n for n in GROWING if n in doc.scenarios()]
    blocks: list[Block] = [Heading("With the catalogue's size")]
    if len(sizes) < 2 or not names:
        return [*blocks, Text("Catalogue sizes: not measured.")]
    intro = (
        f"Product list and search as the catalogue grows, at {doc.users} users. The "
        "services' cache is off here, so both stacks' databases do the work."
    )
    rows = [row for name in names for row in size_rows(doc, name, sizes)]
    headers = [
        Cell("Scenario"),
        Cell("Products"),
        *stack_headers("Monolith", "Services", "Services / monolith"),
        *stack_headers(*STACK_NAMES),
    ]
    groups = [("", 2), ("p50 (ms)", 3), ("p99 (ms)", 2)]
    table = Table(headers, rows, groups, "By catalogue size")
    charts = Charts([size_chart(doc, name, sizes) for name in names])
    return [*blocks, Text(intro), table, charts]


def grown(doc: Doc, name: str, size: int) -> list[dict | None]:
    """Each stack's measurement of a scenario at one catalogue size."""
    return [
        doc.get(name, stack, products=size, variant=grown_variant(doc, name, stack))
        for stack in STACKS
    ]


def size_rows(doc: Doc, name: str, sizes: list[int]) -> list[list[Cell]]:
    rows = []
    for size in sizes:
        m, s = grown(doc, name, size)
        rows.append(
            [
                scenario_cell(doc, name) if size == sizes[0] else Cell(""),
                Cell(fmt.count(size)),
                figure_cell(m, "p50"),
                figure_cell(s, "p50"),
                stacks_ratio_cell(s, m, "p50"),
                figure_cell(m, "p99"),
                figure_cell(s, "p99"),
            ]
        )
    return rows


def grown_variant(doc: Doc, name: str, stack: str) -> str:
    """The services grow with their cache off, when the run could turn it off."""
    variants = {
        m["variant"]
        for m in doc.by_key.values()
        if m["scenario"] == name and m["stack"] == stack and m["phase"] == "growth"
    }
    return "cache-off" if "cache-off" in variants else "default"


def size_chart(doc: Doc, name: str, sizes: list[int]) -> Lines:
    by_size = [grown(doc, name, size) for size in sizes]
    series = [
        Series(
            stack.capitalize(),
            [bar_value(entries[index], "p50") for entries in by_size],
            STACK_COLOURS[stack],
        )
        for index, stack in enumerate(STACKS)
    ]
    labels = [fmt.count(n) for n in sizes]
    return Lines(f"{doc.title(name)}: p50 latency", labels, "products", series, "ms")
