"""The report as Markdown for GitHub: the same sections and tables, no charts; a
waterfall is the table of its spans."""

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

BANNER_MARKS = {"quick": "⚠️", "bad": "⛔", "warn": "⚠️"}


def render(report: Report) -> str:
    lines = [f"# {escape(report.title)}", ""]
    lines += [f"{escape(fact)}  " for fact in report.facts]
    lines.append("")
    for banner in report.banners:
        mark = BANNER_MARKS.get(banner.tone, "")
        lines += [f"> {mark} **{escape(banner.text)}**", ""]
    for s in report.sections:
        lines += section(s)
    return "\n".join(lines).rstrip() + "\n"


def escape(text: str) -> str:
    """Keep a pipe from splitting a cell, and <word> from reading as an HTML tag."""
    return text.replace("|", "\\|").replace("<", "&lt;").replace("\n", " ")


def section(s: Section) -> list[str]:
    lines = [f"## {escape(s.title)}", ""]
    for b in s.blocks:
        lines += block(b)
    return lines


def block(b) -> list[str]:
    if isinstance(b, Text):
        text = escape(b.text)
        return [f"> **{text}**" if b.tone else text, ""]
    if isinstance(b, Heading):
        return [f"### {escape(b.text)}", ""]
    if isinstance(b, Table):
        return table(b)
    if isinstance(b, Charts):
        return []  # the tables next to them hold the same figures
    if isinstance(b, Gantt):
        return table(b.table())
    raise TypeError(f"no Markdown for {type(b).__name__}")


def headers(t: Table) -> list[str]:
    """One header row: a group's name goes in front of each column under it."""
    names = [h.text for h in t.headers]
    if not t.groups:
        return names
    prefixes = [label for label, span in t.groups for _ in range(span)]
    return [
        f"{p} {n}".strip() if p else n for p, n in zip(prefixes, names, strict=True)
    ]


def table(t: Table) -> list[str]:
    lines = [f"**{escape(t.caption)}**", ""] if t.caption else []
    head = [escape(h) or " " for h in headers(t)]
    lines.append(row(head))
    lines.append(row(["---"] * len(head)))
    lines += [row([cell(c) for c in cells]) for cells in t.rows]
    return [*lines, ""]


def row(texts: list[str]) -> str:
    return "| " + " | ".join(texts) + " |"


def cell(c: Cell) -> str:
    """The text, its spread after it, and a mark where the page colours it."""
    detail = c.detail if c.detail.startswith("(") else f"({c.detail})"
    text = escape(c.text) + (f" {escape(detail)}" if c.detail else "")
    if c.tone == "bad":
        return f"**{text}** ❌"
    if c.tone == "good":
        return f"{text} ✅"
    return text
