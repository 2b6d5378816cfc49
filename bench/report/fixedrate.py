"""Section "At a fixed arrival rate": the open model, where requests arrive on a
schedule, and each latency runs from when its request was due.
"""

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
)
from bench.report.data import STACKS, Doc, count_cell, figure_cell
from bench.report.tables import bar_value

COORDINATED_OMISSION = (
    "Here requests are due at a fixed rate, a share of what the slower stack managed "
    "in the closed model, whatever the server does. A closed-model user that waits "
    "for a slow answer sends nothing meanwhile, so the stall hides the requests it "
    "held back: coordinated omission. Measuring from the time each request was due "
    "counts that wait, as a customer would; the time from the actual send is shown "
    "next to it. A large gap between the two means requests queued in the client."
)
COLUMNS = [
    ("rate", "Rate (/s)"),
    ("p50", "p50 from due (ms)"),
    ("sent_p50", "p50 from send (ms)"),
    ("p99", "p99 from due (ms)"),
    ("sent_p99", "p99 from send (ms)"),
]


def section(doc: Doc) -> Section:
    found = fixed_rate_entries(doc)
    if not found:
        blocks: list[Block] = [
            Text(COORDINATED_OMISSION),
            Text("Fixed-rate runs: not measured."),
        ]
        return Section("fixed-rate", "At a fixed arrival rate", blocks)
    rows = []
    for name in found:
        for stack in STACKS:
            entry = found[name].get(stack)
            rows.append(
                [
                    Cell(doc.title(name)),
                    Cell(stack.capitalize(), tone=stack),
                    *[figure_cell(entry, figure) for figure, _ in COLUMNS],
                    count_cell(entry, "errors"),
                ]
            )
    headers = cells("Scenario", "Stack", *[label for _, label in COLUMNS], "Errors")
    blocks = [
        Text(COORDINATED_OMISSION),
        Table(headers, rows),
        Charts([due_chart(doc, found, stack) for stack in STACKS]),
    ]
    return Section("fixed-rate", "At a fixed arrival rate", blocks)


def fixed_rate_entries(doc: Doc) -> dict[str, dict[str, dict]]:
    """scenario -> stack -> its fixed-rate measurement, in the scenarios' order."""
    found: dict[str, dict[str, dict]] = {}
    for name in doc.scenarios():
        for stack in STACKS:
            entry = doc.get(name, stack, load="fixed-rate")
            if entry is not None:
                found.setdefault(name, {})[stack] = entry
    return found


def due_chart(doc: Doc, found: dict, stack: str) -> Bars:
    """p99 from the due time against p99 from the send, for one stack."""
    names = list(found)
    colour = STACK_COLOURS[stack]
    series = [
        Series(
            "p99 from due",
            [bar_value(found[n].get(stack), "p99") for n in names],
            colour,
        ),
        Series(
            "p99 from send",
            [bar_value(found[n].get(stack), "sent_p99") for n in names],
            colour,
            dashed=True,
        ),
    ]
    title = f"{stack.capitalize()}: p99 from due and from send (ms)"
    return Bars(title, [doc.title(n) for n in names], series, "ms")
