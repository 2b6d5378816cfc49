"""The hop scenario's pieces: the bare WSGI app, the multiples, the report section.

Its round trips against real servers are measured by the quick run (test_run.py);
nothing here asserts a timing: the figures come from a made-up results document.
"""

import pytest

from bench import hello, hop
from bench.report import build, markdown, terminal_summary
from bench.report import formatting as fmt
from tests.bench.sample import HOP_MS


def test_the_bare_app_answers_any_path_with_its_small_json():
    seen = []
    body = hello.application(
        {"PATH_INFO": "/readyz", "REQUEST_METHOD": "GET"},
        lambda status, headers: seen.append((status, dict(headers))),
    )

    assert b"".join(body) == b'{"status": "ok"}'
    assert seen == [
        ("200 OK", {"Content-Type": "application/json", "Content-Length": "16"})
    ]


def test_multiples_are_taken_round_by_round():
    """django = floor / hello; hop = (gateway - direct) / hello; per round, then
    the median. A round missing a part gives no value for what needs that part."""
    p50s = {
        "hello": [0.5, 0.4, 0.5],
        "floor": [1.5, 1.2, None],
        "direct": [1.5, 1.2, 1.5],
        "gateway": [2.5, 2.4, 2.5],
    }

    figures = hop.multiples(p50s)

    assert figures["django"]["values"] == [3.0, 3.0, None]
    assert figures["django"]["median"] == 3.0
    assert figures["hop"]["values"] == [2.0, 3.0, 2.0]
    assert figures["hop"]["median"] == 2.0
    assert figures["gateway"]["median"] == 5.0


def test_a_bare_round_trip_of_nothing_gives_no_multiple():
    figures = hop.multiples({"hello": [None], "floor": [1.0]})

    assert all(figure["median"] is None for figure in figures.values())


def test_results_carry_the_multiples_and_the_hop_target(sample_document):
    expected = (HOP_MS["gateway"] - HOP_MS["direct"]) / HOP_MS["hello"]
    multiples = sample_document["hop"]
    target = next(t for t in sample_document["targets"] if t["id"] == "one-hop")

    assert multiples["hop"]["median"] == pytest.approx(expected, rel=0.15)
    assert target["value"] == multiples["hop"]["median"]
    assert target["met"] is True
    assert target["unit"] == "ratio"


def test_the_hop_section_renders_parts_and_multiples(sample_document):
    text = markdown.render(build(sample_document))
    section = text[text.index("## Hop") :].split("\n## ")[0]

    for name, part in hop.PARTS.items():
        assert f"| {name} ({part.title})" in section
    hop_row = next(line for line in section.splitlines() if line.startswith("| hop "))
    assert fmt.ratio(sample_document["hop"]["hop"]["median"]) in hop_row
    assert "not measured" not in section
    # A section of its own: no row in the side-by-side tables.
    side = text[text.index("## Side by side") :].split("\n## ")[0]
    assert "| Hop" not in side


def test_the_terminal_summary_states_both_multiples(sample_document):
    line = next(
        line for line in terminal_summary(sample_document).splitlines()
        if line.startswith("hop ")
    )  # fmt: skip

    assert f"{sample_document['hop']['django']['median']:.2f}x" in line


def test_without_the_hop_the_section_says_not_measured(sample_document):
    sample_document["measurements"] = [
        m for m in sample_document["measurements"] if m["scenario"] != "hop"
    ]
    sample_document["hop"] = None

    text = markdown.render(build(sample_document))
    section = text[text.index("## Hop") :].split("\n## ")[0]

    assert "Not measured in this run" in section
    assert not any(line.startswith("hop ") for line in terminal_summary(
        sample_document).splitlines())  # fmt: skip
