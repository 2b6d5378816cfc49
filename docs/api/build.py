"""Export both stacks' OpenAPI schemas and build the Postman collection from them.

    python dev.py api-docs            # fetch from the stacks `make run` serves
    python dev.py api-docs --offline  # rebuild the rest from the exported schemas
    python dev.py api-docs --check    # change nothing; exit 1 if a file is out of date

Writes, in docs/api/: monolith.openapi.json and services.openapi.json (what
``/api/schema/?format=json`` serves, keys sorted; see ``normalise``), the collection and
one Postman environment per stack. Standard library only, and deterministic: the same
schemas always give the same bytes, so a test can tell when a file is out of date.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
import urllib.request
from pathlib import Path
from typing import Any

from postman_collection import build_collection, build_environment
from postman_steps import PLAN

HERE = Path(__file__).resolve().parent
STACKS = {  # name: the address `make run` serves it on
    "monolith": "http://127.0.0.1:8000",
    "services": "http://127.0.0.1:8100",
}
COLLECTION = HERE / "shop.postman_collection.json"
# The ranges of integer columns: PostgreSQL's (32-bit) and SQLite's (64-bit).
INT_MAX = {2**31 - 1, 2**63 - 1}
INT_MIN = {-(2**31), -(2**63)}
INCOMPLETE = "Not answering"  # the gateway's note when a service's part is missing
FETCH_FAILED = "could not fetch {url}: {error}. Is the stack running (make run)?"
PARTIAL_SCHEMA = "{url} left a service out ({note}); wait until every service answers."


def schema_path(stack: str) -> Path:
    return HERE / f"{stack}.openapi.json"


def environment_path(stack: str) -> Path:
    return HERE / f"{stack}.postman_environment.json"


def fetch_schema(base_url: str, *, timeout: float = 30) -> dict[str, Any]:
    """The OpenAPI schema a stack serves, as JSON; refuses the gateway's partial one."""
    url = f"{base_url.rstrip('/')}/api/schema/?format=json"
    if not url.startswith(("http://", "https://")):
        raise SystemExit(f"not an HTTP address: {url}")
    try:
        # The scheme is checked above: no file:// or other openers.
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
            schema = json.load(response)
    except OSError as error:
        raise SystemExit(FETCH_FAILED.format(url=url, error=error)) from error
    description = schema.get("info", {}).get("description", "")
    if INCOMPLETE in description:
        raise SystemExit(PARTIAL_SCHEMA.format(url=url, note=description))
    return normalise(schema)


def normalise(node: Any) -> Any:
    """The schema without the integer bounds that only say which database answered.

    DRF bounds an integer field by its column's range, which is the database's:
    64-bit on SQLite, 32-bit on PostgreSQL. The contract is the same on both.
    """
    if isinstance(node, list):
        return [normalise(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: normalise(value) for key, value in node.items()}
    if node.get("type") == "integer":
        bounded = node.get("maximum") in INT_MAX or node.get("minimum") in INT_MIN
        if node.get("maximum") in INT_MAX:
            del node["maximum"]
        if node.get("minimum") in INT_MIN:
            del node["minimum"]
        if bounded and node.get("format") == "int64":
            del node["format"]
    return node


def dump(document: dict[str, Any]) -> str:
    """The one way every file here is written: sorted keys, two spaces, a newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def render(schemas: dict[str, dict[str, Any]]) -> dict[Path, str]:
    """Every file's content, from the two stacks' schemas."""
    plan_schemas = schemas["monolith"], schemas["services"]
    files = {schema_path(name): dump(schema) for name, schema in schemas.items()}
    files[COLLECTION] = dump(build_collection(PLAN, *plan_schemas))
    for name, base_url in STACKS.items():
        files[environment_path(name)] = dump(build_environment(name, base_url))
    return files


def out_of_date(files: dict[Path, str]) -> list[str]:
    """A unified diff (a few lines of it) for each file whose content would change."""
    reports = []
    for path, content in files.items():
        old = path.read_text() if path.exists() else ""
        if old != content:
            name = str(path.relative_to(HERE.parents[1]))
            diff = difflib.unified_diff(
                old.splitlines(), content.splitlines(), name, "generated", lineterm=""
            )
            reports.append("\n".join(list(diff)[:40]))
    return reports


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--offline",
        action="store_true",
        help="fetch nothing: rebuild the collection from the exported schemas",
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if out of date"
    )
    for name, url in STACKS.items():
        parser.add_argument(f"--{name}", metavar="URL", help=f"default {url}")
    parser.add_argument(
        "--only",
        choices=list(STACKS),
        help="fetch this stack's schema only; the other's comes from its file",
    )
    args = parser.parse_args(argv)
    schemas = {}
    for name, default in STACKS.items():
        if args.offline or (args.only and args.only != name):
            schemas[name] = json.loads(schema_path(name).read_text())
        else:
            schemas[name] = fetch_schema(getattr(args, name) or default)
    files = render(schemas)
    if args.check:
        reports = out_of_date(files)
        for report in reports:
            sys.stdout.write(report + "\n")
        if reports:
            sys.stdout.write("out of date: run `python dev.py api-docs`\n")
        return 1 if reports else 0
    for path, content in files.items():
        path.write_text(content)
        sys.stdout.write(f"wrote {path.relative_to(HERE.parents[1])}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
