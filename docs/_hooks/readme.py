"""MkDocs hooks: the README is the home page, and folders in the nav list their pages.

The README is written to be read on the repository's front page, so its links start
at the repository's root (``docs/services.md``); on the site the same page sits in
``docs/``, and those links lose their ``docs/`` prefix. The README is never copied:
``docs/index.md`` only says where the home page comes from.
"""

import re
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

HOME_PAGE = "index.md"
README = "README.md"
# [text](docs/x.md) in the README is [text](x.md) on the site.
DOCS_LINK = re.compile(r"\]\(docs/")
# A nav entry whose target ends in "/" stands for every page of that folder.
FOLDER_ENTRY = "/"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Replace each ``Title: folder/`` nav entry with the folder's pages, in order."""
    docs_dir = Path(config.docs_dir)
    expanded = [_expand(entry, docs_dir) for entry in config.nav or []]
    config.nav = [entry for entry in expanded if entry != {}]
    return config


def on_page_markdown(
    markdown: str, *, page: Page, config: MkDocsConfig, files: Files
) -> str:
    """The home page is the README, with its links made relative to ``docs/``."""
    if page.file.src_uri != HOME_PAGE:
        return markdown
    readme = Path(config.config_file_path).parent / README
    return DOCS_LINK.sub("](", readme.read_text(encoding="utf-8"))


def _expand(entry: Any, docs_dir: Path) -> Any:
    if not isinstance(entry, dict):
        return entry
    (title, target), *_ = entry.items()
    if isinstance(target, list):
        return {title: [_expand(item, docs_dir) for item in target]}
    if isinstance(target, str) and target.endswith(FOLDER_ENTRY):
        # The folder's index.md first (it is the section's own page), then the rest.
        pages = sorted(
            (docs_dir / target).glob("*.md"),
            key=lambda page: (page.stem != "index", page.name),
        )
        # A folder with no page yet leaves no empty section behind.
        return {title: [f"{target}{page.name}" for page in pages]} if pages else {}
    return entry
