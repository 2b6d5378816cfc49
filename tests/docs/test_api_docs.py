"""docs/api/ is up to date, and newman comes only from the public npm registry."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
API_DOCS = ROOT / "docs/api"
REGISTRY = "https://registry.npmjs.org/"


def _build(
    *args: str, script: Path = API_DOCS / "build.py"
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(script), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_collection_is_what_the_generator_writes():
    """The committed collection and environments are built from the exported schemas."""
    result = _build("--offline", "--check")

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_generator_notices_a_stale_collection(tmp_path):
    """--check fails, naming the file, when the collection was edited by hand."""
    copy = tmp_path / "docs/api"
    shutil.copytree(API_DOCS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    collection = copy / "shop.postman_collection.json"
    collection.write_text(collection.read_text().replace("Who am I", "Who are you"))

    result = _build("--offline", "--check", script=copy / "build.py")

    assert result.returncode == 1, result.stderr
    assert "docs/api/shop.postman_collection.json" in result.stdout
    added = [line for line in result.stdout.splitlines() if line.startswith("+ ")]
    assert any("Who am I" in line for line in added), result.stdout


def test_every_environment_points_at_its_stack():
    """The environments' baseUrl are the addresses `make run` serves the stacks on."""
    for name, port in [("monolith", 8000), ("services", 8100)]:
        environment = json.loads(
            (API_DOCS / f"{name}.postman_environment.json").read_text()
        )

        assert environment["values"] == [
            {
                "key": "baseUrl",
                "value": f"http://127.0.0.1:{port}",
                "type": "default",
                "enabled": True,
            }
        ]


def test_newman_is_pinned_and_locked_to_the_public_registry():
    """package.json pins newman; every locked package comes from npmjs with a hash."""
    package = json.loads((ROOT / "package.json").read_text())
    lock = json.loads((ROOT / "package-lock.json").read_text())
    packages = {path: entry for path, entry in lock["packages"].items() if path}

    assert package["devDependencies"]["newman"][0].isdigit()  # an exact version
    assert lock["packages"][""]["devDependencies"] == package["devDependencies"]
    assert "node_modules/newman" in packages
    for path, entry in packages.items():
        assert entry["resolved"].startswith(REGISTRY), path
        assert entry["integrity"].startswith("sha512-"), path
    assert "node_modules/" in (ROOT / ".gitignore").read_text().splitlines()
