"""The docs site builds with `mkdocs build --strict`: no broken link, no lost page."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_docs_site_builds_strictly(tmp_path):
    """Every page builds, every link and anchor resolves, every page is in the nav,
    and the home page is the README."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)

    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    home = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "Two commands" in home
    assert 'href="services.html"' in home  # the README's docs/services.md, on the site


def test_the_site_fetches_nothing_from_other_hosts():
    """No web fonts, and Mermaid from the site itself, not a CDN."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")

    assert "font: false" in config
    assert "javascripts/vendor/mermaid.min.js" in config
