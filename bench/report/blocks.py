"""The report's content as plain data: sections of paragraphs, tables and charts.

``tables.py`` builds them once; ``html.py`` and ``markdown.py`` each write them out
(the Markdown leaves the charts out).
"""

from dataclasses import dataclass, field

MONOLITH, SERVICES = "#1f5fa8", "#d9661a"  # the two stacks' colours, everywhere
BEFORE = "#8a8f98"  # a switch turned off, before the "after" it is compared with
STACK_COLOURS = {"monolith": MONOLITH, "services": SERVICES}


@dataclass
class Cell:
    text: str
    detail: str = ""  # a second, smaller line: the spread over the rounds
    tone: str = ""  # good, bad, muted, monolith, services: the colour it is shown in


@dataclass
class Table:
    headers: list[Cell]
    rows: list[list[Cell]]
    groups: list[tuple[str, int]] = field(default_factory=list)  # header over columns
    caption: str = ""


@dataclass
class Text:
    text: str
    tone: str = ""  # "" for a paragraph; "quick", "bad", "warn" for a banner


@dataclass
class Heading:
    text: str


@dataclass
class Series:
    name: str
    values: list  # float, or a str saying why there is none ("not measured")
    colour: str
    dashed: bool = False


@dataclass
class Bars:
    """Grouped horizontal bars: one group per label, one bar per series."""

    title: str
    labels: list[str]
    series: list[Series]
    unit: str
    width: int = 640  # the drawing's own units; the page scales it to its column


@dataclass
class Lines:
    """A line per series over categories equally spaced along the x axis."""

    title: str
    x_labels: list[str]
    x_title: str
    series: list[Series]
    unit: str


@dataclass
class Charts:
    charts: list  # Bars and Lines, laid out side by side where the page is wide
    small: bool = False  # more to a row: a pair of bars each


@dataclass
class Gantt:
    """One trace as a waterfall: a row per span, indented under its parent, a colour
    per process. The page draws it as bars; the Markdown as a table (``table``)."""

    title: str
    spans: list[dict]  # process, name, start_ms, duration_ms, depth (results.json)
    colours: dict[str, str]  # process -> colour

    def table(self) -> Table:
        indent = "\N{EM SPACE}"  # not collapsed, as spaces are, in a rendered table
        rows = [
            [
                Cell(f"{span['start_ms']:.1f}"),
                Cell(f"{span['duration_ms']:.1f}"),
                Cell(indent * span["depth"] + f"{span['process']}: {span['name']}"),
            ]
            for span in self.spans
        ]
        headers = cells("Start (ms)", "Took (ms)", "Process: span")
        return Table(headers, rows, caption=self.title)


# What a section holds, in order; each writer draws every kind its own way.
Block = Text | Heading | Table | Charts | Gantt


@dataclass
class Section:
    id: str
    title: str
    blocks: list[Block] = field(default_factory=list)


def cells(*texts: str) -> list[Cell]:
    return [Cell(text) for text in texts]


def stack_headers(*names: str) -> list[Cell]:
    """Header cells, coloured as their stack is in the charts."""
    return [
        Cell(name, tone=name.lower() if name.lower() in STACK_COLOURS else "")
        for name in names
    ]


@dataclass
class Report:
    title: str
    facts: list[str]  # one-liners under the title: when, on what
    banners: list[Text]
    sections: list[Section]
