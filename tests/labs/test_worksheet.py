"""The lab worksheet quotes the lab's real code and names its real URLs."""

import re
from pathlib import Path

import pytest
from django.urls import resolve

ROOT = Path(__file__).resolve().parents[2]
WORKSHEET = ROOT / "docs/labs/01-form-echo.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
SOURCES = {"python": "echoapp/**/*.py", "html": "echoapp/templates/**/*.html"}


def _lines(pattern: str) -> set[str]:
    return {
        line.strip()
        for path in ROOT.glob(pattern)
        for line in path.read_text().splitlines()
    }


@pytest.mark.parametrize("language", sorted(SOURCES))
def test_every_quoted_line_is_in_the_lab(language):
    """Each line of a Python or HTML excerpt is a line of echoapp's code."""
    real = _lines(SOURCES[language])
    quoted = [
        line.strip()
        for lang, body in FENCE.findall(WORKSHEET.read_text())
        if lang == language
        for line in body.splitlines()
        if line.strip()
    ]

    assert quoted
    assert [line for line in quoted if line not in real] == []


def test_every_local_url_resolves():
    """Each http://127.0.0.1:8000/... URL in the worksheet is a monolith route."""
    paths = re.findall(r"http://127\.0\.0\.1:8000(/[^\s)`]*)", WORKSHEET.read_text())

    assert paths
    for path in paths:
        # Resolver404 for a path the monolith does not serve.
        resolve(path.rstrip(".,:;"))
