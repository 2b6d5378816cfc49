"""docs/api/ holds for each stack: the schema it serves, the Postman collection.

newman (pinned in package.json) runs the collection the way a student runs it in
Postman; `npm ci` installs it the first time, from package-lock.json.
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
API_DOCS = ROOT / "docs/api"
COLLECTION = API_DOCS / "shop.postman_collection.json"
NEWMAN = ROOT / "node_modules/.bin/newman"
NPM_MISSING = (
    "npm is not installed, and newman (package.json) needs it: install Node.js 18 "
    "or newer (Debian: apt install npm), or run .ci/run, which does."
)
NEWMAN_TIMEOUT = 300  # seconds for a whole run; each request has 15 of them


def _kind(stack) -> str:
    """Which side's documents describe this stack: monolith or services."""
    kind = stack.name.split("-")[0]
    assert kind in {"monolith", "services"}, f"no API documents for {stack.name}"
    return kind


@pytest.fixture(scope="session")
def newman() -> Path:
    """newman's command, installed from package-lock.json when it is not there yet."""
    if not NEWMAN.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail(NPM_MISSING)
        installed = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=NEWMAN_TIMEOUT,
            check=False,
        )
        if installed.returncode:
            pytest.fail(f"npm ci failed:\n{installed.stdout}{installed.stderr}")
    return NEWMAN


def test_the_exported_schema_is_what_the_stack_serves(stack):
    """docs/api/<side>.openapi.json equals the stack's /api/schema/?format=json."""
    kind = _kind(stack)

    check = ["--check", "--only", kind, f"--{kind}", stack.base_url]

    result = subprocess.run(
        [sys.executable, "docs/api/build.py", *check],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_postman_collection_passes_with_newman(stack, newman, tmp_path):
    """newman runs every request of the collection against the stack; no test fails."""
    environment = API_DOCS / f"{_kind(stack)}.postman_environment.json"
    report = tmp_path / "newman.json"
    command = [str(newman), "run", str(COLLECTION), "--environment", str(environment)]
    command += ["--env-var", f"baseUrl={stack.base_url}", "--color", "off"]
    command += ["--timeout-request", "15000", "--reporters", "cli,json"]
    command += ["--reporter-json-export", str(report)]

    result = subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=NEWMAN_TIMEOUT,
        check=False,
    )

    assert result.returncode == 0, result.stdout[-6000:] + result.stderr
    run = json.loads(report.read_text())["run"]
    assert run["failures"] == []
    assert run["stats"]["assertions"]["failed"] == 0
    assert {e["item"]["name"] for e in run["executions"]} == set(_request_names())
    for execution in run["executions"]:
        names = [a["assertion"] for a in execution["assertions"]]
        assert any(name.startswith("status is") for name in names), execution["item"]
        assert len(names) >= 3, f"{execution['item']['name']} checks only {names}"


def _request_names() -> list[str]:
    collection = json.loads(COLLECTION.read_text())
    return [item["name"] for folder in collection["item"] for item in folder["item"]]
