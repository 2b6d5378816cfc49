"""Every decision record has the same parts, and the index lists every one of them."""

import re
from pathlib import Path

import pytest

DECISIONS = Path(__file__).resolve().parents[2] / "docs/decisions"
RECORDS = sorted(DECISIONS.glob("[0-9][0-9][0-9][0-9]-*.md"))
NAME = re.compile(r"^\d{4}-[a-z0-9]+(-[a-z0-9]+)+\.md$")
PARTS = ("## Context", "## Decision", "## Consequences")
OPTIONS = ("## Options considered", "## Alternatives considered")


def test_the_records_are_numbered_one_after_another():
    """Records are numbered 0001, 0002, … with no gap and no number used twice."""
    numbers = [int(record.name[:4]) for record in RECORDS]

    assert numbers == list(range(1, len(RECORDS) + 1))


@pytest.mark.parametrize("record", RECORDS, ids=lambda path: path.name[:4])
def test_a_record_has_a_status_context_options_decision_and_consequences(record):
    """Each record's name is its decision as a sentence, and it has every part."""
    text = record.read_text()

    assert NAME.match(record.name), record.name
    assert text.startswith(f"# {int(record.name[:4])}. ")
    assert re.search(r"^Status: \w", text, re.MULTILINE)
    assert all(re.search(f"^{part}$", text, re.MULTILINE) for part in PARTS)
    assert any(re.search(f"^{part}$", text, re.MULTILINE) for part in OPTIONS)


def test_the_index_links_every_record():
    """docs/decisions/index.md lists each record, by its file name."""
    index = (DECISIONS / "index.md").read_text()

    linked = set(re.findall(r"\]\((\d{4}-[^)]+\.md)\)", index))

    assert linked == {record.name for record in RECORDS}
