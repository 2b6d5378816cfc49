"""The Postman collection, built from the OpenAPI schema the stacks serve.

Each ``Step`` names an operation by method and path as the schema spells them; the
schema says what a success looks like (the required keys of its response body), the
contract says what a failure looks like (``application/problem+json``). Variables
carry values from one request to the next: sign-up makes a user, sign-in stores its
token, the product list picks a product, placing an order stores its id.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

Schema = dict[str, Any]
Js = list[str]  # the lines of a script

POSTMAN_SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
# Fixed ids, so the same schema always gives the same bytes (a test compares them).
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://127.0.0.1/shop/postman")
PROBLEM_KEYS = ["type", "title", "status", "detail"]
MISSING_ID = 999999999  # an id no seeded or test object reaches: the 404 problem
# Variables that hold numbers: written unquoted into JSON bodies.
NUMBERS = ("product_id",)


@dataclass(frozen=True)
class Step:
    """One request of the collection and what its answer must be."""

    name: str
    method: str
    path: str  # the schema's path: /api/products/{product_id}/
    status: int
    url: str = ""  # what is sent, with {{variables}}; default: path
    query: dict[str, str] = field(default_factory=dict)
    signed_in: bool = False
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | None = None
    before: Js = field(default_factory=list)  # pre-request script
    checks: Js = field(default_factory=list)  # more of the test script
    also: tuple[int, ...] = ()  # statuses that are as good as ``status``
    errors: tuple[str, ...] = ()  # fields a validation problem names


@dataclass(frozen=True)
class Folder:
    name: str
    description: str
    steps: list[Step]


def build_collection(
    plan: list[Folder], primary: Schema, other: Schema
) -> dict[str, Any]:
    """The collection of ``plan``, from ``primary``'s schema, checked against ``other``.

    Both stacks serve one contract, so a step whose operation or response shape
    differs between the two schemas is an error, not something to paper over.
    """
    folders = []
    for folder in plan:
        items = [_item(step, primary, other) for step in folder.steps]
        folders.append(
            {"name": folder.name, "description": folder.description, "item": items}
        )
    return {
        "info": {
            "_postman_id": str(uuid.uuid5(NAMESPACE, "collection")),
            "name": "Shop API",
            "description": _description(primary),
            "schema": POSTMAN_SCHEMA,
        },
        "auth": {"type": "noauth"},
        "event": [_event("test", _every_response())],
        "variable": [
            {"key": name, "value": value}
            for name, value in [("baseUrl", "http://127.0.0.1:8000"), *_variables()]
        ],
        "item": folders,
    }


def build_environment(name: str, base_url: str) -> dict[str, Any]:
    """A Postman environment: the one variable that picks a stack."""
    return {
        "id": str(uuid.uuid5(NAMESPACE, f"environment/{name}")),
        "name": f"Shop: {name} ({base_url})",
        "values": [
            {"key": "baseUrl", "value": base_url, "type": "default", "enabled": True}
        ],
        "_postman_variable_scope": "environment",
    }


def _variables() -> list[tuple[str, str]]:
    """The values requests hand on, declared empty so Postman lists them."""
    names = ["username", "password", "access", "refresh", "category"]
    names += ["product_id", "product_ids", "search", "order_id", "idempotency_key"]
    return [(name, "") for name in [*names, "poll_tries"]]


def _description(schema: Schema) -> str:
    return (
        f"Generated from the OpenAPI schema ({schema['info']['title']}, version "
        f"{schema['info']['version']}) by `python dev.py api-docs`; do not edit by "
        "hand. Pick an environment (monolith or services) and run the folders in "
        "order: each request uses what the ones before it stored."
    )


def _item(step: Step, primary: Schema, other: Schema) -> dict[str, Any]:
    operation = _operation(primary, step)
    shape = _shape(primary, operation, step)
    if shape != _shape(other, _operation(other, step), step):
        raise ValueError(f"{step.name}: the two schemas describe different answers")
    for name in step.query:
        if name not in {p["name"] for p in operation.get("parameters", [])}:
            raise ValueError(f"{step.name}: the schema has no query parameter {name}")
    events = [_event("test", [*_status_test(step), *shape, *step.checks])]
    if step.before:
        events.insert(0, _event("prerequest", step.before))
    return {
        "name": step.name,
        "event": events,
        "request": _request(step, operation),
        "response": [],
    }


def _operation(schema: Schema, step: Step) -> Schema:
    try:
        return schema["paths"][step.path][step.method.lower()]
    except KeyError:
        title = schema["info"]["title"]
        raise ValueError(f"{title} has no {step.method} {step.path}") from None


def _request(step: Step, operation: Schema) -> dict[str, Any]:
    path = step.url or step.path
    query = "&".join(f"{key}={value}" for key, value in step.query.items())
    headers = {"Accept": "application/json", **step.headers}
    request: dict[str, Any] = {
        "method": step.method,
        "header": [{"key": key, "value": value} for key, value in headers.items()],
        "url": {
            "raw": "{{baseUrl}}" + path + (f"?{query}" if query else ""),
            "host": ["{{baseUrl}}"],
            "path": [*path.strip("/").split("/"), ""],
            "query": [{"key": k, "value": v} for k, v in step.query.items()],
        },
        "description": operation.get("description", "").split("\n\n")[0],
    }
    if step.signed_in:
        token = [{"key": "token", "value": "{{access}}", "type": "string"}]
        request["auth"] = {"type": "bearer", "bearer": token}
    if step.body is not None:
        request["header"].append({"key": "Content-Type", "value": "application/json"})
        request["body"] = {
            "mode": "raw",
            "raw": _json_with_variables(step.body),
            "options": {"raw": {"language": "json"}},
        }
    return request


def _json_with_variables(body: dict[str, Any]) -> str:
    raw = json.dumps(body, indent=2)
    for name in NUMBERS:
        raw = raw.replace(f'"{{{{{name}}}}}"', f"{{{{{name}}}}}")
    return raw


def _event(listen: str, lines: Js) -> dict[str, Any]:
    return {"listen": listen, "script": {"type": "text/javascript", "exec": lines}}


def _every_response() -> Js:
    return [
        'pm.test("the response carries X-Request-ID", function () {',
        '    pm.expect(pm.response.headers.get("X-Request-ID")).to.be.a("string");',
        "});",
    ]


def _status_test(step: Step) -> Js:
    codes = [step.status, *step.also]
    names = " or ".join(f"{code} {HTTPStatus(code).phrase}" for code in codes)
    return [
        f'pm.test("status is {names}", function () {{',
        f"    pm.expect(pm.response.code).to.be.oneOf({json.dumps(codes)});",
        "});",
    ]


def _shape(schema: Schema, operation: Schema, step: Step) -> Js:
    """The test lines for the answer's shape: the schema's keys, or a problem."""
    response = operation["responses"].get(str(step.status))
    if response is None:
        raise ValueError(f"{step.name}: the schema has no {step.status} answer")
    if step.status >= HTTPStatus.BAD_REQUEST:
        return _problem_test(step)
    content = response.get("content", {}).get("application/json")
    if content is None:
        return []
    body = content["schema"]
    if body.get("type") == "array":
        return _keys_test("each item", _required(schema, body["items"]), each=True)
    keys = _required(schema, body)
    lines = _keys_test("the body", keys)
    results = _component(schema, body).get("properties", {}).get("results")
    if results:  # a page: its results have keys of their own
        item_keys = _required(schema, results["items"])
        lines += _keys_test("each result", item_keys, each=True, within="results")
    return lines


def _component(schema: Schema, reference: Schema) -> Schema:
    name = reference["$ref"].rsplit("/", 1)[-1]
    return schema["components"]["schemas"][name]


def _required(schema: Schema, reference: Schema) -> list[str]:
    return sorted(_component(schema, reference).get("required", []))


def _keys_test(
    what: str, keys: list[str], *, each: bool = False, within: str = ""
) -> Js:
    keys_js = json.dumps(keys)
    target = "pm.response.json()" + (f".{within}" if within else "")
    if not each:
        return [
            f'pm.test("{what} is JSON with the keys {", ".join(keys)}", function () {{',
            '    pm.expect(pm.response.headers.get("Content-Type"))'
            '.to.include("application/json");',
            f"    pm.expect({target}).to.include.all.keys({keys_js});",
            "});",
        ]
    return [
        f'pm.test("{what} has the keys {", ".join(keys)}", function () {{',
        f'    pm.expect({target}).to.be.an("array");',
        f"    {target}.forEach(function (item) {{",
        f"        pm.expect(item).to.include.all.keys({keys_js});",
        "    });",
        "});",
    ]


def _problem_test(step: Step) -> Js:
    lines = [
        'pm.test("the body is a problem (RFC 9457)", function () {',
        '    pm.expect(pm.response.headers.get("Content-Type"))'
        '.to.include("application/problem+json");',
        "    const problem = pm.response.json();",
        f"    pm.expect(problem).to.include.all.keys({json.dumps(PROBLEM_KEYS)});",
        f"    pm.expect(problem.status).to.eql({step.status});",
    ]
    if step.errors:
        fields = json.dumps(list(step.errors))
        lines.append(f"    pm.expect(problem.errors).to.include.all.keys({fields});")
    return [*lines, "});"]
