"""The report's heading, targets and side-by-side tables, built once for both the
HTML and the Markdown; and the cells and bars the other sections share.
"""

from bench.report import formatting as fmt
from bench.report.blocks import (
    STACK_COLOURS,
    Bars,
    Block,
    Cell,
    Charts,
    Section,
    Series,
    Table,
    Text,
    cells,
    stack_headers,
)
from bench.report.data import (
    STACKS,
    Doc,
    count_cell,
    failed,
    figure_cell,
    median,
    stacks_ratio_cell,
)
from bench.targets import TARGETS

TITLE = "Monolith and services, side by side"
RATIO_KEY = (
    "Ratios are services / monolith, taken within each round, then the median over "
    "the rounds. Green: the services do as well or better; red: more than 1.5 times "
    "worse."
)


# results.json's options.database; older files and attached stacks have none.
DATABASE_NAMES = {
    "sqlite": "SQLite (a file per service)",
    "postgres": "PostgreSQL (a database per service)",
    None: "unknown (attached stacks, or an older results.json)",
}


# results.json's options.tracing (--tracing); older files said true or false.
TRACING_NAMES = {
    "on": "on, every process (python -m bench --tracing)",
    "both": "off, and on for a few scenarios to measure its cost "
    "(python -m bench --tracing both)",
    "off": "off",
    True: "on, every process (python -m bench --tracing)",
    False: "off",
    None: "unknown (attached stacks, or an older results.json)",
}


def facts(doc: Doc) -> list[str]:
    d, machine, o = doc.document, doc.document.get("machine") or {}, doc.options
    memory = machine.get("memory_gib")
    return [
        f"Run of {fmt.date(d.get('started_at'))}, finished "
        f"{fmt.date(d.get('finished_at'))}",
        f"{machine.get('cpu_model', 'unknown CPU')}, {machine.get('cpus', '?')} CPUs, "
        f"{memory if memory is not None else '?'} GiB, {machine.get('os', '?')}, "
        f"Python {machine.get('python', '?')}",
        f"{o.get('rounds', '?')} rounds of {o.get('duration', '?')} s "
        f"(warm-up {o.get('warmup', '?')} s), {doc.users} users, "
        f"{fmt.count(doc.size) if doc.size else '?'} products",
        f"Database measured: {DATABASE_NAMES.get(o.get('database'), 'unknown')}",
        f"Tracing: {TRACING_NAMES.get(o.get('tracing'), 'unknown')}",
    ]


def banners(doc: Doc) -> list[Text]:
    d = doc.document
    found = []
    if d.get("quick"):
        found.append(
            Text("Quick run: a smoke test, the figures are not comparable.", "quick")
        )
    if d.get("interrupted"):
        found.append(Text("Interrupted: partial results.", "bad"))
    elif not d.get("complete", True):
        found.append(Text("Incomplete: the run did not finish.", "bad"))
    broken = [m["key"] for m in doc.by_key.values() if failed(m)]
    if broken:
        plural = "s" if len(broken) > 1 else ""
        found.append(
            Text(f"Errors in {len(broken)} measurement{plural}: see Errors.", "bad")
        )
    found += [Text(f"Warning: {w}", "warn") for w in d.get("warnings") or []]
    return found


def target_unit(target: dict) -> str:
    """ratio, ms or count: the document does not say, the targets' definitions do."""
    if target.get("unit"):
        return target["unit"]
    known = {t.id: t for t in TARGETS}.get(target.get("id", ""))
    if known and known.comparison:
        return "ratio"
    return "ms" if str(target.get("text", "")).endswith(" ms") else "count"


def target_result(met: bool | None) -> Cell:
    if met is None:
        return Cell(fmt.NOT_MEASURED, tone="muted")
    return Cell("met", tone="good") if met else Cell("MISSED", tone="bad")


def targets_section(doc: Doc) -> Section:
    rows = []
    for target in doc.document.get("targets") or []:
        unit, result = target_unit(target), target_result(target.get("met"))
        rows.append(
            [
                Cell(target.get("text", target.get("id", "?"))),
                Cell(
                    fmt.threshold(target.get("op", ""), target.get("threshold"), unit)
                ),
                Cell(fmt.by_unit(target.get("value"), unit), tone=result.tone),
                result,
            ]
        )
    table = Table(cells("Target", "Threshold", "Value", "Result"), rows)
    blocks: list[Block] = [table] if rows else [Text("No targets in this document.")]
    return Section("targets", "Targets", blocks)


def scenario_cell(doc: Doc, name: str) -> Cell:
    figure = doc.about(name).get("figure")
    return Cell(doc.title(name), f"unit: {figure}" if figure else "")


# (figure, what the table and chart call it, the chart's unit)
LATENCY = [
    ("p50", "p50 (ms)", "ms"),
    ("p90", "p90 (ms)", "ms"),
    ("p99", "p99 (ms)", "ms"),
]
THROUGHPUT = [("throughput", "Throughput (/s)", "/s")]
COUNTS = [("errors", "Errors", ""), ("status_5xx", "5xx answers", "")]
COST = [
    ("cpu_per_1000", "CPU s per 1000 requests", "s"),
    ("peak_pss_mb", "Peak memory, PSS (MB)", "MB"),
    ("peak_rss_mb", "Peak memory, RSS (MB)", "MB"),
]
CHARTED = [
    ("p50", "p50 latency (ms)", "ms"),
    ("p99", "p99 latency (ms)", "ms"),
    ("throughput", "Throughput (per second)", "/s"),
    ("cpu_per_1000", "CPU seconds per 1000 requests", "s"),
    ("peak_pss_mb", "Peak memory, all processes, PSS (MB)", "MB"),
]


def side_by_side(doc: Doc) -> Section:
    intro = (
        f"Each scenario at {doc.users} users (the closed model: each user sends its "
        "next request as soon as the last is answered), both stacks as `make run` "
        "runs them. Under each median: its lowest and highest round."
    )
    blocks: list[Block] = [
        Text(intro),
        Text(RATIO_KEY),
        side_table(doc, "Latency", LATENCY),
        side_table(doc, "Throughput and errors", THROUGHPUT, COUNTS),
        side_table(doc, "What it costs the machine", COST),
        Charts([side_chart(doc, *figure) for figure in CHARTED]),
    ]
    return Section("side-by-side", "Side by side", blocks)


def side_table(doc: Doc, caption: str, figures: list, counts=()) -> Table:
    headers, groups = [Cell("Scenario")], [("", 1)]
    for _figure, label, _unit in figures:
        headers += stack_headers("Monolith", "Services", "Services / monolith")
        groups.append((label, 3))
    for _figure, label, _unit in counts:
        headers += stack_headers("Monolith", "Services")
        groups.append((label, 2))
    rows = []
    for name in doc.scenarios():
        m, s = doc.main(name, "monolith"), doc.main(name, "services")
        row = [scenario_cell(doc, name)]
        for figure, _label, _unit in figures:
            row += [figure_cell(m, figure), figure_cell(s, figure)]
            row.append(stacks_ratio_cell(s, m, figure))
        for figure, _label, _unit in counts:
            row += [count_cell(m, figure), count_cell(s, figure)]
        rows.append(row)
    return Table(headers, rows, groups, caption)


def bar_value(entry: dict | None, figure: str) -> float | str:
    """A bar's length, or the words shown where it would be ("not measured")."""
    value = median(entry, figure)
    if value is None or (value == 0 and failed(entry)):
        return figure_cell(entry, figure).text if value is None else fmt.FAILED
    return value


def stack_series(doc: Doc, names: list[str], figure: str, **where) -> list[Series]:
    """One series per stack: the figure's median for each scenario."""
    return [
        Series(
            stack.capitalize(),
            [bar_value(doc.get(name, stack, **where), figure) for name in names],
            STACK_COLOURS[stack],
        )
        for stack in STACKS
    ]


def side_chart(doc: Doc, figure: str, label: str, unit: str) -> Bars:
    names = doc.scenarios()
    titles = [doc.title(name) for name in names]
    return Bars(label, titles, stack_series(doc, names, figure), unit)
