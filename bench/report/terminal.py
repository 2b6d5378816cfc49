"""The summary printed at the end of a run: plain ASCII text, at most 100 columns."""

import textwrap

from bench.report import formatting as fmt
from bench.report import hop
from bench.report.data import Doc, count_cell, figure_cell, stacks_ratio_cell
from bench.report.tables import DATABASE_NAMES, banners, target_result, target_unit

WIDTH = 100
COLUMNS = [  # (heading, width): the scenario's left-aligned, the figures right
    ("scenario", 15),
    ("mono p50 ms", 13),
    ("serv p50 ms", 13),
    ("ratio", 9),
    ("mono req/s", 12),
    ("serv req/s", 12),
    ("errors (m/s)", 16),
]
ASCII = str.maketrans({fmt.TIMES: "x", fmt.DASH: "-", "≤": "<=", "≥": ">="})


def short(text: str) -> str:
    """A table cell: "-" for "not measured", to fit the column."""
    return "-" if text == fmt.NOT_MEASURED else text


def line(values: list[str]) -> str:
    (_, width), *rest = COLUMNS
    text = values[0][:width].ljust(width)
    text += "".join(v.rjust(w) for v, (_, w) in zip(values[1:], rest, strict=True))
    return text.rstrip()


def summary(document: dict) -> str:
    doc = Doc(document)
    started = fmt.date(document.get("started_at"))
    database = DATABASE_NAMES.get(doc.options.get("database"), "unknown")
    lines = textwrap.wrap(
        f"Monolith and services, side by side: run of {started}, on {database}", WIDTH
    )
    for banner in banners(doc):
        lines += textwrap.wrap(banner.text, WIDTH)
    lines += ["", line([heading for heading, _ in COLUMNS])]
    lines += [scenario_line(doc, name) for name in doc.scenarios()]
    rounds = doc.options.get("rounds", "?")
    lines += textwrap.wrap(
        f"Medians over {rounds} rounds at {doc.users} users. ratio: services / "
        "monolith p50. req/s: orders for time-to-paid and order-rush. "
        "-: not measured. failed: nothing succeeded.",
        WIDTH,
    )
    if hop_line := hop.summary_line(document):
        lines += ["", *textwrap.wrap(hop_line, WIDTH)]
    lines += ["", "Targets"]
    lines += [target_line(t) for t in document.get("targets") or []]
    return "\n".join(text.translate(ASCII) for text in lines) + "\n"


def scenario_line(doc: Doc, name: str) -> str:
    m, s = doc.main(name, "monolith"), doc.main(name, "services")
    cells = [
        figure_cell(m, "p50"),
        figure_cell(s, "p50"),
        stacks_ratio_cell(s, m, "p50"),
        figure_cell(m, "throughput"),
        figure_cell(s, "throughput"),
    ]
    errors = "/".join(short(count_cell(entry, "errors").text) for entry in (m, s))
    return line([name, *[short(cell.text) for cell in cells], errors])


def target_line(target: dict) -> str:
    unit = target_unit(target)
    status = target_result(target.get("met")).text
    value = short(fmt.by_unit(target.get("value"), unit))
    threshold = fmt.threshold(target.get("op", ""), target.get("threshold"), unit)
    start = f"  {status:<12}  {value:>9}  {threshold.translate(ASCII):<11} "
    text = str(target.get("text", target.get("id", "?")))
    return start + textwrap.shorten(text, WIDTH - len(start), placeholder="...")
