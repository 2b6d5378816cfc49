"""The benchmark's report: HTML, Markdown and the terminal summary of a document."""

import copy
import json
import re
from html import escape

import pytest

from bench.report import build, redraw, terminal_summary, write_reports
from bench.report import html as html_report
from bench.report import markdown as markdown_report
from bench.report.blocks import Charts
from bench.report.charts import draw
from tests.bench.sample import DOWN_KEY, sample_document


def render_html(document: dict) -> str:
    return html_report.render(build(document))


def render_markdown(document: dict) -> str:
    return markdown_report.render(build(document))


def section(page: str, id_: str) -> str:
    """The HTML of one section of the page."""
    match = re.search(rf'<section id="{id_}">(.*?)</section>', page, re.S)
    assert match, f"no section {id_}"
    return match.group(1)


def without(document: dict, scenario: str, stack: str) -> dict:
    document = copy.deepcopy(document)
    document["measurements"] = [
        m
        for m in document["measurements"]
        if not (m["scenario"] == scenario and m["stack"] == stack)
    ]
    return document


def test_write_reports_writes_both_files(sample_document, tmp_path):
    """write_reports writes report.html and report.md and returns their paths."""
    paths = write_reports(sample_document, tmp_path / "run")

    assert [p.name for p in paths] == ["report.html", "report.md"]
    assert all(p.is_file() and p.stat().st_size > 1000 for p in paths)
    assert paths[0].read_text(encoding="utf-8").startswith("<!doctype html>")


def test_redraw_draws_again_from_results_json(sample_document, tmp_path, capsys):
    """redraw reads DIR/results.json, writes both reports there and prints the
    summary; without a results.json it says so and returns 1."""
    (tmp_path / "results.json").write_text(json.dumps(sample_document))

    assert redraw(tmp_path) == 0
    assert (tmp_path / "report.html").is_file()
    assert (tmp_path / "report.md").is_file()
    assert "Targets" in capsys.readouterr().out
    assert redraw(tmp_path / "missing") == 1
    assert "cannot read" in capsys.readouterr().err


def test_html_fetches_nothing(sample_document):
    """The page links and loads nothing: no URL outside the stacks' addresses."""
    page = render_html(sample_document)

    assert 'src="http' not in page
    assert 'href="http' not in page
    assert "<script" not in page
    assert '<link rel="icon" href="data:,">' in page
    addresses = {s["base_url"] for s in sample_document["stacks"].values()}
    assert set(re.findall(r"https?://[^\s<\"']+", page)) <= addresses


def test_html_has_charts_scenarios_and_targets(sample_document):
    """The page draws SVG charts and names every scenario and every target."""
    page = render_html(sample_document)

    assert "<svg" in page
    for about in sample_document["scenarios"].values():
        assert about["title"] in page
    for target in sample_document["targets"]:
        assert escape(target["text"]) in page


def test_every_chart_has_a_legend(sample_document):
    """Each chart has a legend naming every one of its series."""
    charts = [
        chart
        for part in build(sample_document).sections
        for block in part.blocks
        if isinstance(block, Charts)
        for chart in block.charts
    ]

    assert len(charts) > 10
    for chart in charts:
        legend = re.search(r'<g class="legend">(.*?)</g>', draw(chart), re.S)
        assert legend, chart.title
        for series in chart.series:
            assert escape(series.name) in legend.group(1)


def test_missed_target_says_missed_with_its_value(sample_document):
    """A missed target says MISSED with its value; a met one says met."""
    page = render_html(sample_document)
    row = re.search(r"<tr><td>zero 5xx answers.*?</tr>", page).group(0)

    assert "MISSED" in row
    assert "6,300" in row
    assert ">met<" in section(page, "targets")


def test_missing_measurement_says_not_measured(sample_document):
    """A scenario left out of the run reads "not measured", never a zero."""
    document = without(sample_document, "floor", "services")
    lines = render_markdown(document).splitlines()
    floor = next(line for line in lines if line.startswith("| Floor: a trivial"))

    assert "not measured" in floor
    assert "| 0 |" not in floor
    assert "not measured" in section(render_html(document), "side-by-side")


def test_unmade_comparison_says_not_measured(sample_document):
    """A switch the run could not flip still has its row, marked not measured."""
    document = without(sample_document, "cart-page", "services")
    document["comparisons"] = [
        c for c in document["comparisons"] if c["id"] != "cart-batch"
    ]
    network = section(render_html(document), "network")

    row = re.search(r"<tr><td>Cart page p50.*?</tr>", network).group(0)
    assert "not measured" in row


def test_down_stack_errors_show_in_the_errors_section(sample_document):
    """A stack that was down: its errors, 5xx and problems are listed under Errors."""
    page = render_html(sample_document)
    errors = section(page, "errors")

    assert DOWN_KEY in errors
    assert "2,400" in errors
    assert "2,100" in errors
    assert "HTTP 503" in errors
    assert "failed" in section(page, "side-by-side")
    assert "Errors in 1 measurement" in page


def test_no_errors_says_so(sample_document):
    """A run without errors says so in its Errors section."""
    document = without(sample_document, "search", "services")

    assert "No errors in any measurement." in section(render_html(document), "errors")


@pytest.mark.parametrize(
    ("changes", "banner"),
    [
        ({"quick": True}, "Quick run: a smoke test, the figures are not comparable."),
        ({"interrupted": True}, "Interrupted: partial results."),
    ],
)
def test_banners(changes, banner):
    """A quick or interrupted run is flagged at the top of each report."""
    document = sample_document(**changes)
    page = render_html(document)

    assert banner in page.split("<main>")[0]
    assert banner in render_markdown(document)
    assert banner in terminal_summary(document)


def test_no_banner_on_a_full_run(sample_document):
    """A complete, full-length run has no quick or interrupted banner."""
    page = render_html(sample_document)

    assert "Quick run" not in page
    assert "Interrupted" not in page


def test_terminal_summary_fits_and_lists_every_target(sample_document):
    """Every line fits in 100 columns, each scenario and target has its line."""
    text = terminal_summary(sample_document)
    lines = text.splitlines()

    assert max(len(line) for line in lines) <= 100
    for name in sample_document["options"]["scenarios"]:
        assert any(line.startswith(name + " ") for line in lines)
    target_lines = [line for line in lines if line.startswith("  ")]
    assert len(target_lines) == len(sample_document["targets"])
    missed = [t for t in sample_document["targets"] if t["met"] is False]
    assert missed  # the sample misses some, on purpose
    assert sum("MISSED" in line for line in target_lines) == len(missed)
    assert all(
        re.match(r"  (met|MISSED|not measured)\s", line) for line in target_lines
    )


def test_terminal_summary_says_not_measured(sample_document):
    """A target with no value reads "not measured"; a missing scenario shows "-"."""
    document = without(sample_document, "time-to-paid", "services")
    paid = next(t for t in document["targets"] if t["id"] == "time-to-paid")
    paid.update(value=None, met=None)
    lines = terminal_summary(document).splitlines()

    assert any(
        line.startswith("  not measured") and "time to paid" in line for line in lines
    )
    row = next(line for line in lines if line.startswith("time-to-paid"))
    assert row.split()[2] == "-"


def test_markdown_tables_are_well_formed(sample_document):
    """Each table row has as many cells (pipes) as its header."""
    lines = render_markdown(sample_document).splitlines()
    tables, current = [], []
    for line in [*lines, ""]:
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []

    assert len(tables) > 10
    for table in tables:
        pipes = [len(re.findall(r"(?<!\\)\|", row)) for row in table]
        assert set(pipes) == {pipes[0]}, table[0]
        assert re.fullmatch(r"\| (--- \| )*---( \|)", table[1])


def test_missing_figures_do_not_crash():
    """A document with no measurements at all still renders, saying so."""
    document = sample_document()
    document.update(measurements=[], comparisons=[])
    for target in document["targets"]:
        target.update(value=None, met=None)

    page = render_html(document)
    assert "not measured" in page
    assert "No errors in any measurement." in page
    assert "not measured" in terminal_summary(document)
