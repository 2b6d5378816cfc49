"""The report as one self-contained HTML page: inline CSS, inline SVG charts, no
script, nothing fetched (the favicon link is empty so the browser asks for none).
"""

import re
from html import escape

from bench.report import gantt
from bench.report.blocks import (
    Cell,
    Charts,
    Gantt,
    Heading,
    Report,
    Section,
    Table,
    Text,
)
from bench.report.charts import draw
from bench.report.style import CSS

# A figure: "1,234", "4.7", "1.46x", "≤ 300 ms" (not a version such as "5.2.19").
NUMBER = re.compile(r"[≤≥]?\s?-?\d[\d,]*(\.\d+)?(\N{MULTIPLICATION SIGN}| ms)?")


def render(report: Report) -> str:
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(report.title)}</title>\n"
        '<link rel="icon" href="data:,">\n'
        f"<style>{CSS}</style>\n</head>\n<body>\n"
        f"{header(report)}\n{contents(report)}\n<main>\n"
        + "\n".join(section(s) for s in report.sections)
        + "\n</main>\n<footer>Drawn from results.json by "
        "<code>python -m bench</code>.</footer>\n</body>\n</html>\n"
    )


def header(report: Report) -> str:
    facts = "".join(f'<p class="facts">{escape(f)}</p>' for f in report.facts)
    banners = "".join(text(b) for b in report.banners)
    return f"<header>\n<h1>{escape(report.title)}</h1>\n{facts}\n{banners}\n</header>"


def contents(report: Report) -> str:
    links = "".join(
        f'<li><a href="#{escape(s.id)}">{escape(s.title)}</a></li>'
        for s in report.sections
    )
    return f'<nav aria-label="Contents"><ol>{links}</ol></nav>'


def section(s: Section) -> str:
    body = "\n".join(block(b) for b in s.blocks)
    return (
        f'<section id="{escape(s.id)}">\n<h2>{escape(s.title)}</h2>\n{body}\n</section>'
    )


def block(b) -> str:
    if isinstance(b, Text):
        return text(b)
    if isinstance(b, Heading):
        return f"<h3>{escape(b.text)}</h3>"
    if isinstance(b, Table):
        return table(b)
    if isinstance(b, Charts):
        return charts(b)
    if isinstance(b, Gantt):  # the page's width: its labels need the room
        caption = f"<figcaption>{escape(b.title)}</figcaption>"
        return f"<figure>{caption}{gantt.draw(b)}</figure>"
    raise TypeError(f"no HTML for {type(b).__name__}")


def text(t: Text) -> str:
    if t.tone:
        return (
            f'<div class="banner {escape(t.tone)}" role="note">{escape(t.text)}</div>'
        )
    return f"<p>{code(t.text)}</p>"


def code(words: str) -> str:
    """Escaped text, with `backticks` as <code>, as the Markdown shows them."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(words))


def table(t: Table) -> str:
    head = ""
    if t.groups and any(label for label, _ in t.groups):
        head += '<tr class="groups">' + "".join(
            f'<th colspan="{span}">{escape(label)}</th>' for label, span in t.groups
        )
        head += "</tr>"
    right = numeric_columns(t)
    if any(h.text for h in t.headers):
        head += "<tr>" + "".join(
            cell(h, r, "th") for h, r in zip(t.headers, right, strict=False)
        )
        head += "</tr>"
    rows = "\n".join(
        "<tr>" + "".join(cell(c, r) for c, r in zip(row, right, strict=False)) + "</tr>"
        for row in t.rows
    )
    caption = f"<caption>{escape(t.caption)}</caption>" if t.caption else ""
    return (
        f'<div class="scroll"><table>{caption}<thead>{head}</thead>\n'
        f"<tbody>\n{rows}\n</tbody></table></div>"
    )


def numeric_columns(t: Table) -> list[bool]:
    """Columns that mostly hold figures are right-aligned, words and all."""
    columns = list(zip(*t.rows, strict=False)) or [() for _ in t.headers]
    return [
        index > 0
        and sum(bool(NUMBER.fullmatch(c.text)) for c in column) * 2 > len(column)
        for index, column in enumerate(columns)
    ]


def cell(c: Cell, right: bool = False, tag: str = "td") -> str:
    classes = [c.tone] if c.tone else []
    if right:
        classes.append("num")
    class_ = f' class="{" ".join(classes)}"' if classes else ""
    detail = f'<span class="detail">{escape(c.detail)}</span>' if c.detail else ""
    return f"<{tag}{class_}>{code(c.text)}{detail}</{tag}>"


def charts(c: Charts) -> str:
    figures = "\n".join(
        f"<figure><figcaption>{escape(chart.title)}</figcaption>{draw(chart)}</figure>"
        for chart in c.charts
    )
    class_ = "charts small" if c.small else "charts"
    return f'<div class="{class_}">\n{figures}\n</div>'
