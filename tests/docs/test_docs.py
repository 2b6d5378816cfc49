"""The folder trees and commands the docs show are the real ones."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
# A fenced block, indented or not (the lab worksheets' content tabs indent theirs).
FENCE = re.compile(r"^( *)```(\w*)[^\n]*\n(.*?)^\1```[ \t]*$", re.MULTILINE | re.DOTALL)
PATHLIKE = re.compile(r"^[\w.-]+(/[\w.-]+)*(/|\.\w+)$")


def _blocks(path: Path, language: str) -> list[str]:
    return [
        "\n".join(line[len(indent) :] for line in body.splitlines())
        for indent, lang, body in FENCE.findall(path.read_text())
        if lang == language
    ]


def _tree_paths(block: str) -> list[str]:
    """Paths a folder tree names: top-level lines from the root, indented ones below."""
    paths, folder = [], ""
    for line in block.splitlines():
        token = line.split()[0] if line.strip() else ""
        if not PATHLIKE.match(token):
            continue
        if line.startswith(" "):
            paths.append(folder + token)
        else:
            paths.append(token)
            folder = token if token.endswith("/") else folder
    return paths


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_path_in_a_folder_tree_exists(doc):
    """Each file or folder drawn in a doc's tree is in the repository."""
    named = [p for block in _blocks(doc, "") for p in _tree_paths(block)]

    missing = [p for p in named if not (ROOT / p).exists()]

    assert not missing, f"{doc.name} shows paths that do not exist: {missing}"


def test_the_readme_commands_exist():
    """Every `make X` and `python dev.py X` in the README is a real command."""
    readme = (ROOT / "README.md").read_text()
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z-]+):", makefile, re.MULTILINE))
    commands = set(re.findall(r"python dev\.py ([a-z-]+)", readme))

    assert set(re.findall(r"\bmake ([a-z-]+)", readme)) <= targets
    for command in commands:
        result = subprocess.run(
            [sys.executable, "dev.py", command, "--help"],
            cwd=ROOT,
            capture_output=True,
            check=False,
        )
        assert result.returncode == 0, f"python dev.py {command}: {result.stderr!r}"


def test_the_two_commands_are_on_the_readmes_first_screen():
    """`make run` and `make test` are in the README's first 25 lines."""
    first_screen = "\n".join((ROOT / "README.md").read_text().splitlines()[:25])

    assert "make run" in first_screen
    assert "make test" in first_screen


def test_the_compose_file_builds_from_files_that_exist():
    """The compose file's build context, Dockerfile and commands point at real files."""
    compose = yaml.safe_load((ROOT / "compose/docker-compose.yml").read_text())
    anchor = compose["x-django"]["build"]
    context = (ROOT / "compose" / anchor["context"]).resolve()

    assert (context / anchor["dockerfile"]).is_file()
    assert set(compose["services"]) >= {"web", "worker", "postgres", "redis", "mongodb"}
    assert (context / "compose/gunicorn.conf.py").is_file()
    for service in compose["services"].values():
        assert "image" in service or "build" in service


def _module_exists(dotted: str) -> bool:
    path = ROOT / dotted.replace(".", "/")
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def test_every_procfile_process_names_real_modules_and_settings():
    """Each Procfile line's settings, app module, Celery app and script exist.

    Every Django process names its settings; the services in other frameworks
    (FastAPI, Flask) have none, and name their application module instead.
    """
    procfile = (ROOT / "compose/Procfile").read_text()
    lines = [line for line in procfile.splitlines() if line and line[0] != "#"]
    names = [line.partition(":")[0] for line in lines]
    modules = re.findall(r"(?:gunicorn|--app|--factory) '?([\w.]+)", procfile)
    modules += re.findall(r"python -m ([\w.]+)", procfile)
    settings = re.findall(r"DJANGO_SETTINGS_MODULE=([\w.]+)", procfile)
    scripts = re.findall(r"python ([\w/]+\.py)", procfile)
    not_django = [n for n in names if n.startswith(("recommendations", "reports"))]

    assert {"monolith", "monolith-worker", "gateway", "storefront"} <= set(names)
    assert {"recommendations", "reports"} <= set(not_django)
    assert len(settings) == len(lines) - len(not_django)
    assert "monolith.wsgi" in modules
    assert "extracted_services.gateway.wsgi" in modules
    assert "extracted_services.reports.app" in modules
    for module in [*modules, *settings]:
        assert _module_exists(module), module
    for script in scripts:
        assert (ROOT / script).is_file(), script
