"""The form-echo lab in a real browser: input echoed escaped, errors by fields."""

import pytest
from playwright.sync_api import expect

from tests.contract.helpers import unique

pytestmark = pytest.mark.browser

SCRIPT = "<script>alert(1)</script>"


def test_a_script_is_echoed_as_text_and_never_runs(page, watch):
    """The echoed message shows the markup literally; no alert dialog opens."""
    name = unique("echo")
    page.goto("/echo/")

    page.get_by_label("Name").fill(name)
    page.get_by_label("Message").fill(SCRIPT)
    page.get_by_role("button", name="Send").click()

    expect(page.get_by_text(SCRIPT).first).to_be_visible()
    expect(page.get_by_text(name).first).to_be_visible()
    assert watch.dialogs == []


def test_blank_input_shows_an_error_beside_each_field(page):
    """Whitespace-only name and message re-render the form with field errors."""
    page.goto("/echo/")

    page.get_by_label("Name").fill("   ")
    page.get_by_label("Message").fill("   ")
    page.get_by_role("button", name="Send").click()

    expect(page.get_by_text("This field is required.")).to_have_count(2)


def test_a_submission_appears_first_in_the_list(page):
    """After sending, the submissions page lists the new message first."""
    name = unique("listed")
    page.goto("/echo/")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Message").fill("hello from the browser")
    page.get_by_role("button", name="Send").click()

    page.goto("/echo/submissions/")

    expect(page.get_by_test_id("submissions").locator("li").first).to_contain_text(name)
