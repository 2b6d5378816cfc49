"""The registry of copies: modules a service shares with the monolith, on purpose.

A service copies what it took from the monolith instead of importing it, so that it
could leave this repository on its own (docs/decisions/). A copy is a lesson only
while it stays a copy: this registry names each pair and why it exists, and fails as
soon as one side is changed alone.

What must be identical: everything after the module docstring, to the byte. The
docstring is each side's own, so that each can say where it lives and where its
twin is ("Copied on purpose from ..."). A copy that is not registered here fails
too: register it with its reason, or remove it.
"""

import ast
import difflib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHASSIS = "extracted_services/chassis"

# (the monolith's module, the service's copy, why the two are one on purpose)
COPIES = [
    (
        "monolith/core/metrics.py",
        f"{CHASSIS}/metrics.py",
        "Every process of both stacks serves the same /metrics, read the same way.",
    ),
    (
        "monolith/core/request_id.py",
        f"{CHASSIS}/request_id.py",
        "One rule for X-Request-ID, so one id follows a request across both stacks.",
    ),
    (
        "monolith/core/logging.py",
        f"{CHASSIS}/logging.py",
        "Every log line, in every process, carries the request id the same way.",
    ),
    (
        "monolith/core/context_processors.py",
        f"{CHASSIS}/context_processors.py",
        "Every page's footer says which side served it, and the request id.",
    ),
    (
        "monolith/core/tracing.py",
        f"{CHASSIS}/tracing.py",
        "One trace follows a request through every process of both stacks, and the "
        "timeline reads every process's spans the same way.",
    ),
    (
        "monolith/core/pagination.py",
        f"{CHASSIS}/pagination.py",
        "The contract has one page shape: {count, next, previous, results}.",
    ),
    (
        "monolith/core/problems.py",
        f"{CHASSIS}/problems.py",
        "The contract has one error shape, problem+json; ServiceUnavailable is the "
        "services' 503 and, through the storefront's shop, the pages' Unavailable.",
    ),
    (
        "monolith/core/hardening.py",
        f"{CHASSIS}/hardening.py",
        "Both stacks refuse the same bodies and answer every /api/ error alike; the "
        "same security headers on every response.",
    ),
    (
        "monolith/core/heartbeats.py",
        f"{CHASSIS}/heartbeats.py",
        "Every worker says it is alive the same way, and every /readyz reads it so.",
    ),
    (
        "monolith/core/parsers.py",
        f"{CHASSIS}/parsers.py",
        "JSON nested too deeply is a 400 on both stacks, never a 500.",
    ),
    (
        "monolith/accounts/services.py",
        "extracted_services/gateway/services.py",
        "The gateway took the users: signing up is the same rule there.",
    ),
    (
        "monolith/accounts/throttling.py",
        "extracted_services/gateway/throttling.py",
        "The gateway took the sign-in, and its rate limits with it.",
    ),
    (
        "monolith/payments/cards.py",
        "extracted_services/orders/cards.py",
        "Orders checks the card number before it reserves stock, by payments' rules.",
    ),
    (
        "monolith/catalog/management/demo_catalogue.py",
        "extracted_services/catalog/management/demo_catalogue.py",
        "Both stacks seed the same catalogue from data/demo-catalogue.json.",
    ),
    (
        "monolith/catalog/search.py",
        "extracted_services/catalog/search.py",
        "One ?search= on both stacks: the same words find the same products.",
    ),
    (
        "monolith/recommendations/model.py",
        "extracted_services/recommendations/model.py",
        "One model on both stacks, trained from a query there and from events here.",
    ),
    (
        "monolith/recommendations/serving.py",
        "extracted_services/recommendations/serving.py",
        "Both servers swap in a newer model the same way, without a pause.",
    ),
    (
        "monolith/reports/report.py",
        "extracted_services/reports/report.py",
        "One report (period rules, rows, CSV, chart) from a query and from events.",
    ),
]
DRIFTED = (
    "{original} and {copy} are registered in tests/test_copies.py as identical on "
    "purpose ({why}), but one was changed alone. Make the same change on both "
    "sides, or, if they should now differ, remove the pair from COPIES and their "
    "'Copied on purpose' notes.\n{diff}"
)
UNREGISTERED = (
    "{original} and {copy} are identical but not registered: add the pair to COPIES "
    "in tests/test_copies.py with the reason, and a 'Copied on purpose' note to each "
    "docstring; or, if the copy is an accident, keep one and remove the other."
)
SAYS_SO = "tests/test_copies.py keeps the two identical"


def code_of(text: str) -> str:
    """A module's text after its docstring: what a copy must repeat exactly."""
    body = ast.parse(text).body
    if (
        body
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
    ):
        return "".join(text.splitlines(keepends=True)[body[0].end_lineno :])
    return text


def drift(original: Path, copy: Path, why: str) -> str | None:
    """None when ``copy`` repeats ``original``'s code; else what to do, and the diff."""
    left = code_of(original.read_text(encoding="utf-8"))
    right = code_of(copy.read_text(encoding="utf-8"))
    if left == right:
        return None
    names = [str(path.relative_to(path.anchor)) for path in (original, copy)]
    diff = difflib.unified_diff(
        left.splitlines(keepends=True), right.splitlines(keepends=True), *names
    )
    return DRIFTED.format(
        original=original.name, copy=copy.name, why=why, diff="".join(diff)
    )


@pytest.mark.parametrize(
    ("original", "copy", "why"), COPIES, ids=[copy for _, copy, _ in COPIES]
)
def test_each_registered_copy_is_identical_to_its_original(original, copy, why):
    """One side of a registered pair never changes alone."""
    assert drift(ROOT / original, ROOT / copy, why) is None


@pytest.mark.parametrize(("original", "copy"), [pair[:2] for pair in COPIES])
def test_each_side_of_a_copy_says_so_in_its_docstring(original, copy):
    """A reader of either file learns it has a twin, and what keeps them alike."""
    for path in (original, copy):
        docstring = ast.get_docstring(ast.parse((ROOT / path).read_text("utf-8")))

        assert docstring is not None
        assert "Copied on purpose" in docstring, path
        assert SAYS_SO in " ".join(docstring.split()), path


def test_every_copy_between_the_monolith_and_a_service_is_registered():
    """Identical code in monolith/ and extracted_services/ is in COPIES, or gone."""
    registered = {(original, copy) for original, copy, _ in COPIES}
    by_code: dict[str, list[str]] = {}
    for top in ("monolith", "extracted_services"):
        for path in sorted((ROOT / top).rglob("*.py")):
            code = code_of(path.read_text(encoding="utf-8"))
            if "migrations" not in path.parts and len(code.strip().splitlines()) > 3:
                by_code.setdefault(code, []).append(str(path.relative_to(ROOT)))
    unregistered = [
        UNREGISTERED.format(original=original, copy=copy)
        for paths in by_code.values()
        for original in paths
        if original.startswith("monolith/")
        for copy in paths
        if copy.startswith("extracted_services/") and (original, copy) not in registered
    ]

    assert unregistered == []


def test_a_copy_edited_alone_fails_with_a_diff(tmp_path):
    """The check itself: one changed line is reported, with both names and the fix."""
    original, copy = tmp_path / "cards.py", tmp_path / "copy_of_cards.py"
    original.write_text('"""Card rules."""\n\nMIN_DIGITS = 12\n')
    copy.write_text('"""Card rules, copied."""\n\nMIN_DIGITS = 13\n')

    message = drift(original, copy, "a reason")

    assert message is not None
    assert "cards.py and copy_of_cards.py are registered" in message
    assert "Make the same change on both sides" in message
    assert "-MIN_DIGITS = 12\n+MIN_DIGITS = 13\n" in message


def test_each_side_may_word_its_own_docstring(tmp_path):
    """Only the docstring may differ: it says which side it is and where the twin is."""
    original, copy = tmp_path / "a.py", tmp_path / "b.py"
    original.write_text('"""Copied on purpose to b."""\n\nX = 1\n')
    copy.write_text('"""Copied on purpose from a,\non two lines."""\n\nX = 1\n')

    assert drift(original, copy, "a reason") is None
