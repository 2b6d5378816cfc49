"""Fixtures for the browser tests: Debian's Chromium driven by Playwright.

The browser is never downloaded: the tests use the system's /usr/bin/chromium.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.contract.helpers import StaffTokens, create_product

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 10_000


@dataclass
class Watch:
    """What the page did besides rendering: console errors and JavaScript dialogs."""

    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


# Module scope: Playwright's sync API keeps an asyncio loop marked as running in this
# thread, which Django's in-process tests (run later in the same session) refuse.
@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium.")
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def watch():
    return Watch()


@pytest.fixture
def page(browser, stack, watch):
    """A fresh page (its own cookies) on the stack; it must end with no console
    errors and no JavaScript dialogs."""
    context = browser.new_context(base_url=stack.base_url)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()

    def on_console(message):
        source = message.location.get("url", "")
        # Chromium asks for /favicon.ico once per browser, in whichever test comes
        # first; tests/contract/test_pages.py checks the icon deterministically.
        if message.type == "error" and not source.endswith("/favicon.ico"):
            watch.console_errors.append(f"{page.url}: {message.text} ({source})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: watch.console_errors.append(str(error)))

    def on_dialog(dialog):
        watch.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    yield page
    context.close()
    assert watch.console_errors == []
    assert watch.dialogs == []


@pytest.fixture(scope="module")
def staff_tokens(stack):
    return StaffTokens(stack)


@pytest.fixture
def api(stack):
    with httpx.Client(base_url=stack.base_url, timeout=15) as client:
        yield client


@pytest.fixture
def product(api, staff_tokens):
    """A product of the test's own, in stock, with a name no other product has."""
    return create_product(api, staff_tokens.headers(api), stock=20, price="7.25")
