"""Section "What the network costs, and how to win it back": each comparison of the
stacks, and each switch's before / after, as a pair of medians and their ratio.
"""

from bench.report import formatting as fmt
from bench.report.blocks import (
    BEFORE,
    SERVICES,
    STACK_COLOURS,
    Bars,
    Block,
    Cell,
    Charts,
    Heading,
    Section,
    Series,
    Table,
    Text,
    cells,
)
from bench.report.data import Doc, failed, figure_cell, median, ratio_cell
from bench.targets import COMPARISONS, TARGETS

KINDS = {
    "stacks": (
        "The services against the monolith",
        "A / B is services / monolith: below 1 (green) the services are faster.",
    ),
    "switch": (
        "Switches: before and after",
        "A is the services stack with a switch turned off, B with it on, as "
        "`make run` runs it: above 1 (green) the switch wins.",
    ),
    "growth": (
        "How search grows",
        "A is search at the largest catalogue, B at the main size, on each stack with "
        "its database doing the work (the services' cache off): the target is at "
        "most 2.",
    ),
    "tracing": (
        "Tracing: what it costs",
        "A is a stack with every process tracing (spans to JSON files, as `make run` "
        "writes them), B the same stack untraced, in the same round: A / B is the "
        "cost of tracing.",
    ),
}
TRACING_NOT_MEASURED = (
    "Not measured in this run: `python -m bench --tracing both` measures the floor, "
    "product detail, the home page and time to paid with tracing off and on."
)
FIGURE_NAMES = {"p50": "p50 latency in ms", "throughput": "throughput per second"}


def section(doc: Doc) -> Section:
    rows = doc.document.get("comparisons") or []
    blocks: list[Block] = [
        Text(
            "Each call from one service to another crosses the network: a few "
            "milliseconds the monolith never spends. Caching and batching win them "
            "back. Each ratio is taken within a round, then its median over the rounds."
        )
    ]
    for kind, (title, explanation) in KINDS.items():
        found = [row for row in rows if row.get("kind") == kind]
        if kind == "tracing" and not found:  # an option of its own: one line
            blocks += [Heading(title), Text(TRACING_NOT_MEASURED)]
            continue
        found += unmeasured(doc, kind, {row.get("id") for row in rows})
        blocks += [Heading(title), Text(explanation), pairs_table(doc, found)]
        charts = [pair_chart(doc, row) for row in found if row.get("median")]
        blocks += [Charts(charts, small=True)] if charts else []
    return Section("network", "What the network costs, and how to win it back", blocks)


def unmeasured(doc: Doc, kind: str, present: set) -> list[dict]:
    """The comparisons the run could not make (a scenario left out, no switches)."""
    return [
        {
            "id": c.id,
            "title": c.title.format(u=doc.users),
            "kind": c.kind,
            "figure": c.figure,
            "median": None,
        }
        for c in COMPARISONS
        if c.kind == kind and c.id not in present
    ]


def pairs_table(doc: Doc, rows: list[dict]) -> Table:
    body = []
    for row in rows:
        top, bottom = side(doc, row, "numerator"), side(doc, row, "denominator")
        target = target_of(doc, row.get("id"))
        ratio = compared_cell(row, top, bottom)
        if row.get("median") is not None and target and target.get("met") is not None:
            # The target, where there is one, decides the colour.
            ratio.tone = "good" if target["met"] else "bad"
        if row.get("kind") == "tracing" and ratio.tone == "good":
            ratio.tone = ""  # tracing never speeds a request up: under 1 is noise
        body.append(
            [
                Cell(
                    row.get("title", row.get("id", "?")),
                    FIGURE_NAMES.get(row.get("figure", ""), row.get("figure", "")),
                ),
                pair_cell(doc, row, "numerator"),
                pair_cell(doc, row, "denominator"),
                ratio,
                target_cell(target),
            ]
        )
    return Table(cells("Comparison", "A", "B", "A / B", "Target"), body)


def target_of(doc: Doc, comparison: str | None) -> dict | None:
    ids = {t.id for t in TARGETS if t.comparison == comparison}
    found = [t for t in doc.document.get("targets") or [] if t.get("id") in ids]
    return found[0] if found else None


def target_cell(target: dict | None) -> Cell:
    if target is None:
        return Cell("")
    text = fmt.threshold(target.get("op", ""), target.get("threshold"), "ratio")
    results: dict[bool | None, tuple[str, str]] = {
        True: ("met", "good"),
        False: ("MISSED", "bad"),
    }
    return Cell(text, *results.get(target.get("met"), (fmt.NOT_MEASURED, "muted")))


def side(doc: Doc, row: dict, which: str) -> dict | None:
    return doc.by_key.get(row.get(which) or "")


def pair_cell(doc: Doc, row: dict, which: str) -> Cell:
    """One side's median, and which measurement it is."""
    cell = figure_cell(side(doc, row, which), row.get("figure", "p50"))
    return Cell(cell.text, describe(doc, row.get(which)), cell.tone)


def compared_cell(row: dict, top: dict | None, bottom: dict | None) -> Cell:
    if row.get("median") is None and (failed(top) or failed(bottom)):
        return Cell(fmt.FAILED, tone="bad")
    value = row if row.get("median") is not None else None
    return ratio_cell(value, row.get("figure", "p50"), row.get("kind") == "switch")


def describe(doc: Doc, key: str | None) -> str:
    """Say which measurement a key is: "services, catalog's Redis cache off"."""
    if not key:
        return ""
    parts = key.split("/")
    if len(parts) != 5:
        return key
    _scenario, stack, variant, load, products = parts
    words = [stack]
    if variant != "default":
        words.append((doc.document.get("variants") or {}).get(variant, variant))
    if load != f"{doc.users}u":
        words.append(load.replace("u", " users") if load != "1u" else "1 user")
    main_size = (doc.document.get("options") or {}).get("main_size")
    if products.isdigit() and main_size and int(products) != main_size:
        words.append(f"{int(products):,} products")
    return ", ".join(words)


def pair_chart(doc: Doc, row: dict) -> Bars:
    figure = row.get("figure", "p50")
    series = []
    for which, label in (("numerator", "A"), ("denominator", "B")):
        key = row.get(which) or ""
        stack = key.split("/")[1] if key.count("/") == 4 else ""
        colour = STACK_COLOURS.get(stack, SERVICES)
        # Grey: the switch off, or tracing off.
        grey = {"switch": "numerator", "tracing": "denominator"}
        if grey.get(row.get("kind", "")) == which:
            colour = BEFORE
        value = median(doc.by_key.get(key), figure)
        name = f"{label}: {describe(doc, key)}"
        series.append(
            Series(name, [fmt.NOT_MEASURED if value is None else value], colour)
        )
    unit = "ms" if figure.startswith(("p", "sent")) else "/s"
    title = f"{row.get('title', '')}: {fmt.ratio(row.get('median'))}"
    return Bars(title, [f"{figure} ({unit})"], series, unit, width=440)
