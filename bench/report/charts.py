"""Charts as inline SVG, drawn in Python: grouped horizontal bars, and lines over
equally spaced categories. Each has its legend; a missing value says why in words.
"""

import math
from html import escape

from bench.report import formatting as fmt
from bench.report.blocks import Bars, Lines, Series

WIDTH = 640  # the viewBox: the page scales each chart to its column
FONT = 15
CHAR = 0.56 * FONT  # a rough average glyph width, to lay out labels without a font
BAR, BAR_GAP, GROUP_GAP = 18, 3, 14
LINE_HEIGHT = 300
VALUE_FORMATS = {"ms": fmt.ms, "/s": fmt.per_second, "s": fmt.seconds}


def value_text(value: float, unit: str) -> str:
    return VALUE_FORMATS.get(unit, fmt.megabytes)(value)


def text(x, y, content, anchor="start", css="", size=FONT) -> str:
    class_ = f' class="{css}"' if css else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"'
        f"{class_}>{escape(str(content))}</text>"
    )


def nice_ticks(top: float) -> list[float]:
    """0 and four or five round steps (1, 2 or 5 times a power of ten) up to top."""
    if top <= 0:
        return [0.0, 1.0]
    rough = top / 4
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    return [step * i for i in range(math.ceil(top / step - 1e-9) + 1)]


def numbers(series: list[Series]) -> list[float]:
    return [v for s in series for v in s.values if isinstance(v, int | float)]


def tick_texts(ticks: list[float]) -> list[str]:
    """Axis labels with as many decimals as the step needs: 0, 50, 100 or 0.0, 0.5."""
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1
    places = max(0, -math.floor(math.log10(step))) if step > 0 else 0
    return [f"{tick:,.{places}f}" for tick in ticks]


def legend(series: list[Series], width: int, line=False) -> tuple[list, float]:
    """The legend items, wrapped to the chart's width; returns them and its bottom."""
    parts, x, y = [], 0.0, FONT + 2
    for s in series:
        name = s.name if numbers([s]) else f"{s.name}: {missing(s)}"
        item = 30 + len(name) * CHAR + 22
        if x and x + item > width:
            x, y = 0.0, y + FONT + 10
        parts.append(swatch(s, x, y - FONT * 0.75, line))
        parts.append(text(x + 30, y, name))
        x += item
    return ['<g class="legend">', *parts, "</g>"], y + 14


def missing(s: Series) -> str:
    """Why a series has no value at all, in its own words ("not measured")."""
    return next((v for v in s.values if isinstance(v, str)), fmt.NOT_MEASURED)


def swatch(s: Series, x: float, y: float, line: bool) -> str:
    if line:
        dash = ' stroke-dasharray="7 4"' if s.dashed else ""
        mid = y + FONT * 0.4
        return (
            f'<line x1="{x:.1f}" y1="{mid:.1f}" x2="{x + 24:.1f}" y2="{mid:.1f}" '
            f'stroke="{s.colour}" stroke-width="3"{dash}/>'
        )
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="22" height="{FONT}" {fill(s)}/>'


def fill(s: Series) -> str:
    """A dashed series' bars are pale with a solid edge, so they read as a pair."""
    if s.dashed:
        return f'fill="{s.colour}" fill-opacity="0.3" stroke="{s.colour}"'
    return f'fill="{s.colour}"'


def svg(width: int, height: float, title: str, parts: list[str]) -> str:
    return (
        # Inline in HTML: no xmlns needed, so no URL in the page but the stacks'.
        f'<svg class="chart" viewBox="0 0 {width} {height:.0f}" role="img">'
        f"<title>{escape(title)}</title>" + "".join(parts) + "</svg>"
    )


def bars(chart: Bars) -> str:
    parts, top = legend(chart.series, chart.width)
    longest = max((len(label) for label in chart.labels), default=0)
    x0, x1 = min(260, longest * CHAR) + 12, chart.width - 80
    ticks = nice_ticks(max(numbers(chart.series), default=0))
    scale = (x1 - x0) / ticks[-1]
    group = len(chart.series) * (BAR + BAR_GAP) - BAR_GAP
    bottom = top + 8 + len(chart.labels) * (group + GROUP_GAP) - GROUP_GAP + 6
    parts += axis_x(ticks, x0, scale, top + 2, bottom)  # under the bars
    y = top + 8
    for index, label in enumerate(chart.labels):
        parts.append(text(x0 - 10, y + group / 2 + FONT * 0.35, label, "end"))
        for s in chart.series:
            parts.append(bar(s, s.values[index], x0, y, scale, chart.unit))
            y += BAR + BAR_GAP
        y += GROUP_GAP - BAR_GAP
    return svg(chart.width, bottom + FONT + 12, chart.title, parts)


def bar(s: Series, value, x0: float, y: float, scale: float, unit: str) -> str:
    middle = y + BAR / 2 + FONT * 0.35
    if not isinstance(value, int | float):
        return text(x0 + 6, middle, value or fmt.NOT_MEASURED, css="missing")
    width = max(value * scale, 1)
    shape = f'<rect x="{x0}" y="{y}" width="{width:.1f}" height="{BAR}" {fill(s)}/>'
    return shape + text(x0 + width + 6, middle, value_text(value, unit), css="value")


def axis_x(ticks, x0: float, scale: float, y_top: float, y_end: float) -> list:
    parts = []
    for tick, label in zip(ticks, tick_texts(ticks), strict=True):
        x = x0 + tick * scale
        parts.append(
            f'<line x1="{x:.1f}" y1="{y_top:.1f}" x2="{x:.1f}" y2="{y_end:.1f}" '
            'class="grid"/>'
        )
        parts.append(text(x, y_end + FONT + 2, label, "middle", "tick"))
    return parts


def lines(chart: Lines) -> str:
    parts, top = legend(chart.series, WIDTH, line=True)
    left, right, top = 64, WIDTH - 24, top + 30
    bottom = top + LINE_HEIGHT - 90
    ticks = nice_ticks(max(numbers(chart.series), default=0))
    scale = (bottom - top) / ticks[-1]
    step = (right - left) / max(len(chart.x_labels), 1)
    xs = [left + (i + 0.5) * step for i in range(len(chart.x_labels))]
    parts.append(text(left - 8, top - 16, chart.unit, "end", "tick"))
    for tick, label in zip(ticks, tick_texts(ticks), strict=True):
        y = bottom - tick * scale
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" class="grid"/>'
        )
        parts.append(text(left - 8, y + 5, label, "end", "tick"))
    for x, label in zip(xs, chart.x_labels, strict=True):
        parts.append(text(x, bottom + FONT + 6, label, "middle"))
    middle = (left + right) / 2
    parts.append(text(middle, bottom + 2 * FONT + 14, chart.x_title, "middle", "tick"))
    for s in chart.series:
        parts += polyline(s, xs, bottom, scale)
    return svg(WIDTH, bottom + 2 * FONT + 24, chart.title, parts)


def polyline(s: Series, xs: list[float], bottom: float, scale: float) -> list[str]:
    """The series' line, broken where a value is missing, and a dot at each value."""
    dash = ' stroke-dasharray="8 5"' if s.dashed else ""
    points = [
        (x, bottom - v * scale) if isinstance(v, int | float) else None
        for x, v in zip(xs, s.values, strict=True)
    ]
    parts, run = [], []
    for point in [*points, None]:
        if point is not None:
            run.append(point)
            continue
        if len(run) > 1:
            coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
            parts.append(
                f'<polyline points="{coords}" fill="none" '
                f'stroke="{s.colour}" stroke-width="3"{dash}/>'
            )
        run = []
    parts += [
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{s.colour}"/>'
        for x, y in filter(None, points)
    ]
    return parts


def draw(chart: Bars | Lines) -> str:
    return bars(chart) if isinstance(chart, Bars) else lines(chart)
