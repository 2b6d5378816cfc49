"""A trace drawn as a waterfall (a Gantt chart) in inline SVG: a row per span, its
label indented under its parent's, its bar placed at its start and as long as it took,
coloured by the process that recorded it.
"""

from html import escape

from bench.report.blocks import Gantt, Series
from bench.report.charts import axis_x, legend, nice_ticks, svg, text

WIDTH = 960  # the viewBox: wider than a chart's, for the labels
LABELS = 420  # the labels' column; the bars take the rest
ROW, BAR = 18, 12
FONT = 13
INDENT = 10  # per level under the first span
CHAR = 0.56 * FONT  # a rough glyph width, to cut labels that would not fit
# A colour per process, in the order they first appear in the report's traces.
PALETTE = [
    "#1f5fa8", "#d9661a", "#2a9d5c", "#c0392b", "#8e5fb8", "#8c564b",
    "#d957a6", "#17a2b8", "#a8a81f", "#5a6fd6", "#7f7f7f", "#e0a800",
]  # fmt: skip


def colours(processes: list[str]) -> dict[str, str]:
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(processes)}


def draw(chart: Gantt) -> str:
    used = dict.fromkeys(span["process"] for span in chart.spans)
    keys = [Series(name, [1], chart.colours.get(name, PALETTE[-1])) for name in used]
    parts, top = legend(keys, WIDTH)
    top += 10
    x0, x1 = LABELS, WIDTH - 70  # room after the last bar for its duration
    end = max((s["start_ms"] + s["duration_ms"] for s in chart.spans), default=0)
    ticks = nice_ticks(end)
    scale = (x1 - x0) / ticks[-1]
    bottom = top + len(chart.spans) * ROW + 4
    parts += axis_x(ticks, x0, scale, top - 4, bottom)
    parts.append(text(x1 + 60, bottom + 2 * FONT + 10, "ms", "end", "tick", FONT))
    for index, span in enumerate(chart.spans):
        y = top + index * ROW
        parts += row(span, y, x0, scale, chart.colours.get(span["process"]))
    return svg(WIDTH, bottom + 2 * FONT + 16, chart.title, parts)


def row(span: dict, y: float, x0: float, scale: float, colour: str | None) -> list:
    """One span: its label, its bar (with its times as a tooltip), its duration."""
    indent = 4 + span["depth"] * INDENT
    label = fit(f"{span['process']}: {span['name']}", (x0 - 10 - indent) / CHAR)
    start, took = span["start_ms"], span["duration_ms"]
    x, width = x0 + start * scale, max(took * scale, 1.5)
    tooltip = f"{span['process']}: {span['name']}, at {start:.1f} ms, took {took:.1f}"
    middle = y + BAR / 2 + FONT * 0.35
    return [
        text(indent, middle, label, size=FONT),
        f'<rect class="span" x="{x:.1f}" y="{y + (ROW - BAR) / 2:.1f}" '
        f'width="{width:.1f}" height="{BAR}" fill="{colour or PALETTE[-1]}">'
        f"<title>{escape(tooltip)} ms</title></rect>",
        text(x + width + 4, middle, f"{took:.1f}", css="tick", size=FONT - 2),
    ]


def fit(label: str, characters: float) -> str:
    """The label, cut with an ellipsis where it would run into the bars."""
    room = max(int(characters), 8)
    return (
        label if len(label) <= room else label[: room - 1] + "\N{HORIZONTAL ELLIPSIS}"
    )
