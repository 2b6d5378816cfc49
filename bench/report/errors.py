"""Section "Errors": every round of every measurement that saw an error, a 5xx answer,
a retry (a 503 with Retry-After, waited out) or a user that could not set up, with its
most frequent problems.
"""

from bench.report import formatting as fmt
from bench.report.blocks import Cell, Section, Table, Text, cells
from bench.report.data import Doc

TOP_PROBLEMS = 3
COUNTED = ("errors", "status_5xx", "no_answer", "retries", "setup_failures")


def section(doc: Doc) -> Section:
    rows = []
    for entry in doc.by_key.values():
        for record in entry.get("rounds") or []:
            if any(record.get(k) for k in COUNTED):
                rows.append(error_row(entry, record))
    if not rows:
        return Section("errors", "Errors", [Text("No errors in any measurement.")])
    headers = cells(
        "Measurement",
        "Round",
        "Errors",
        "5xx",
        "No answer",
        "Retried",
        "Setup failures",
        "Most frequent problems",
    )
    rounds = f"{len(rows)} round{'s' if len(rows) > 1 else ''}"
    intro = Text(
        f"{rounds} saw errors or retries. Latencies count only the requests that "
        "succeeded; a stack that answered nothing shows as failed. Retried: 503s "
        "with Retry-After that the client waited out and sent again (among the 5xx, "
        "not among the errors). Setup failures (a sign-in before the window) count "
        "among the errors."
    )
    return Section("errors", "Errors", [intro, Table(headers, rows)])


def error_row(entry: dict, record: dict) -> list[Cell]:
    problems = sorted((record.get("problems") or {}).items(), key=lambda p: -p[1])
    top = "; ".join(f"{text} ({fmt.count(n)})" for text, n in problems[:TOP_PROBLEMS])
    return [
        Cell(entry.get("key", "?")),
        Cell(str(record.get("round", "?"))),
        *[
            Cell(fmt.count(record.get(k) or 0), tone="bad" if record.get(k) else "")
            for k in COUNTED
        ],
        Cell(top or "none recorded"),
    ]
