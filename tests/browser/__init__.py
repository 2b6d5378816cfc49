"""The shop in a real browser (Debian's Chromium via Playwright), on every stack."""
