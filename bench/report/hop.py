"""Section "Hop": the hop scenario's four round trips
and what they make of Django and of one internal hop, in bare round trips
(``bench/hop.py``).
"""

from bench import hop
from bench.report import formatting as fmt
from bench.report.blocks import Block, Cell, Section, Table, Text, cells
from bench.report.data import Doc, count_cell, stat
from bench.scenarios import SCENARIOS

TITLE = SCENARIOS[hop.SCENARIO].title
INTRO = (
    "One user, so nothing queues: each figure is a round trip as the load generator "
    "sees it. The bare WSGI hello runs under the same gunicorn command, config, "
    "workers and threads as every Django process; the trivial view is the "
    "storefront's problem+json answer to a path nobody serves ({path}): no database, "
    "no session, no template, and the gateway forwards it like any API path."
)
NOT_MEASURED = (
    "Not measured in this run: the hop needs the stacks the bench starts itself "
    "(not --monolith/--services), and the hop scenario chosen."
)


def section(doc: Doc) -> Section:
    size = doc.size or 0  # no size: an older or broken document, nothing found
    entries = {part: doc.by_key.get(hop.key(part, size)) for part in hop.PARTS}
    if not any(entries.values()):
        return Section("hop", TITLE, [Text(NOT_MEASURED)])
    blocks: list[Block] = [
        Text(INTRO.format(path=hop.HOP_PATH)),
        parts_table(entries),
        multiples_table(doc.document.get("hop") or {}),
    ]
    return Section("hop", TITLE, blocks)


def parts_table(entries: dict[str, dict | None]) -> Table:
    rows = []
    for name, part in hop.PARTS.items():
        entry = entries[name]
        rows.append(
            [
                Cell(name, part.title),
                milliseconds(entry, "p50"),
                milliseconds(entry, "p90"),
                count_cell(entry, "errors"),
            ]
        )
    headers = cells("Round trip", "p50 (ms)", "p90 (ms)", "Errors")
    return Table(headers, rows, caption="The four round trips, 1 user")


def multiples_table(multiples: dict) -> Table:
    rows = []
    for name, (title, *_parts) in hop.MULTIPLES.items():
        figure = multiples.get(name) or {}
        value = figure.get("median")
        spread = ""
        if value is not None and figure.get("min") != figure.get("max"):
            spread = f"({figure['min']:.2f}{fmt.DASH}{figure['max']:.2f})"
        rows.append([Cell(name, title), Cell(fmt.ratio(value), spread)])
    headers = cells("Multiple", "Bare round trips (p50)")
    return Table(headers, rows, caption="In bare loopback round trips")


def milliseconds(entry: dict | None, figure: str) -> Cell:
    """Two decimals: these round trips are fractions of a millisecond."""
    value = stat(entry, figure) or {}
    if value.get("median") is None:
        return Cell(fmt.NOT_MEASURED, tone="muted")
    spread = ""
    if value["min"] != value["max"]:
        spread = f"({value['min']:.2f}{fmt.DASH}{value['max']:.2f})"
    return Cell(f"{value['median']:.2f}", spread)


def summary_line(document: dict) -> str | None:
    """One line for the terminal: the multiples, or None when not measured."""
    multiples = document.get("hop") or {}
    django = (multiples.get("django") or {}).get("median")
    one_hop = (multiples.get("hop") or {}).get("median")
    if django is None and one_hop is None:
        return None
    return (
        f"hop (p50, 1 user): a Django request costs {fmt.ratio(django)} the bare "
        f"loopback round trip; one internal hop adds {fmt.ratio(one_hop)}."
    )
