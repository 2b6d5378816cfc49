"""Security checks that read the code, not a running stack (issue 10, item 7): no
secret in the repository, serializers and forms that list their fields, a timeout on
every outbound HTTP call, HSTS in production. The checks that need a stack follow:
an order ignores the fields a client may not set, and an over-long URL is a 414."""

import ast
import re
import runpy
import subprocess
from collections.abc import Iterator
from http import HTTPStatus
from pathlib import Path

import httpx
import pytest
from django.test import override_settings
from gunicorn.config import Config as GunicornConfig

from extracted_services.chassis.http import ServiceClient
from monolith.core import hardening

from .helpers import (
    DECLINED_CARD,
    assert_problem,
    create_product,
    order_body,
    settled_order,
)
from .test_hardening import raw_get

ROOT = Path(__file__).resolve().parents[2]
THIS_FILE = str(Path(__file__).resolve().relative_to(ROOT))
# The code of both stacks: what runs in production.
CODE_DIRS = ("monolith", "echoapp", "extracted_services")

# ---------------------------------------------------------------- no secret in git

SECRET_PATTERNS = {
    "a private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "an AWS access key": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    "a GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36}\b"),
    "a Slack token": re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
    "a Google API key": re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"),
    "a Stripe live key": re.compile(r"\b[rs]k_live_[0-9A-Za-z]{16,}"),
    "a JWT": re.compile(r"\beyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,}"),
}
# A quoted value of 8 characters or more, without spaces (a message is not a key).
QUOTED = re.compile(r"""["']([^"'\s]{8,})["']""")
# A quoted setting's name ("SECRET_KEY", "JWT_PRIVATE_KEY") is not its value.
SETTING_NAME = re.compile(r"[A-Z][A-Z0-9_]*")
# Django's production settings refuse a SECRET_KEY that starts with this
# (monolith/settings/production.py, chassis/production.py), so a development default
# marked with it cannot reach a server.
REFUSED_IN_PRODUCTION = "django-insecure"
# Literal keys that are not Django's, each with the reason it is no secret.
NOT_SECRETS = {
    "test-secret-key": "reports' tests sign their own session cookies with it",
    "too-short": "a key the chassis's tests check production refuses",
    "another-secret-key-for-this-test": "tests that a changed key changes a digest",
    "dev-only-reports-secret-key-change-me": (
        "reports (Flask) signs only its report page's session with it; it has no "
        "production settings yet to refuse it: docs/security.md, what is left"
    ),
}
# Files that must never be committed, whatever they hold.
NEVER_COMMITTED = re.compile(
    r"(^|/)(\.env(\..+)?|.*\.(pem|key|p12|pfx|sqlite3|sqlite3-wal))$"
)


def repository_files() -> list[str]:
    """What git tracks, and what it would track (new files, not ignored ones)."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [name for name in listed.splitlines() if (ROOT / name).is_file()]


def secrets_in(name: str, text: str) -> Iterator[str]:
    """Each secret-looking thing in one file, as "file:line: what"."""
    for number, line in enumerate(text.splitlines(), start=1):
        for what, pattern in SECRET_PATTERNS.items():
            if pattern.search(line):
                yield f"{name}:{number}: {what}"
        if "SECRET_KEY" in line:
            for value in QUOTED.findall(line):
                allowed = SETTING_NAME.fullmatch(value) or value in NOT_SECRETS
                if not allowed and not value.startswith(REFUSED_IN_PRODUCTION):
                    yield f"{name}:{number}: a literal SECRET_KEY {value!r}"


def test_no_secret_is_in_the_repository():
    """No private key, token or real SECRET_KEY in any file git holds or would add."""
    found = []
    for name in repository_files():
        if name == THIS_FILE:
            continue  # the planted secrets below
        try:
            text = (ROOT / name).read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # an image or a font
        found += secrets_in(name, text)

    assert found == []


def test_no_key_database_or_env_file_is_in_the_repository():
    """var/keys/, the SQLite files and .env files stay out of git (.gitignore)."""
    assert [name for name in repository_files() if NEVER_COMMITTED.search(name)] == []


@pytest.mark.parametrize(
    "line",
    [
        'SECRET_KEY = "k3y-0f-pr0duct10n-abcdef"',
        "-----BEGIN OPENSSH PRIVATE KEY-----",
        'token = "ghp_' + "a" * 36 + '"',
    ],
)
def test_the_scan_finds_a_planted_secret(line):
    """The check itself: it would have caught these."""
    assert list(secrets_in("planted.py", line))


def test_the_dev_only_secret_keys_are_refused_in_production():
    """Every production settings module refuses the marked development keys."""
    for path in (
        "monolith/settings/production.py",
        "extracted_services/chassis/production.py",
    ):
        source = (ROOT / path).read_text()
        assert f'SECRET_KEY.startswith("{REFUSED_IN_PRODUCTION}")' in source


# ---------------------------------------------------------------- the code itself


def python_files() -> Iterator[tuple[str, ast.Module]]:
    for top in CODE_DIRS:
        for path in sorted((ROOT / top).rglob("*.py")):
            if "migrations" not in path.parts:
                name = str(path.relative_to(ROOT))
                yield name, ast.parse(path.read_text(encoding="utf-8"), name)


def meta_options(tree: ast.Module) -> Iterator[tuple[ast.ClassDef, str, ast.expr]]:
    """Each ``name = value`` in a class's ``Meta``: (the class, name, value)."""
    for outer in ast.walk(tree):
        if not isinstance(outer, ast.ClassDef):
            continue
        for meta in outer.body:
            if isinstance(meta, ast.ClassDef) and meta.name == "Meta":
                for statement in meta.body:
                    if isinstance(statement, ast.Assign):
                        for target in statement.targets:
                            if isinstance(target, ast.Name):
                                yield outer, target.id, statement.value


def test_every_serializer_and_model_form_lists_its_fields():
    """No ``fields = "__all__"`` and no ``exclude``: a new model field (a password
    hash, a flag) never reaches a client or a form by itself."""
    found = []
    for name, tree in python_files():
        for outer, option, value in meta_options(tree):
            everything = isinstance(value, ast.Constant) and value.value == "__all__"
            if option == "exclude" or (option == "fields" and everything):
                found.append(f"{name}:{outer.lineno}: {outer.name}.Meta.{option}")

    assert found == []


# Calls that go out over HTTP, by their full dotted name. ``requests`` has no default
# timeout either; its Session takes none at all, so it is listed to be refused.
OUTBOUND = {
    *(f"httpx.{verb}" for verb in ("get", "post", "put", "patch", "delete", "head")),
    *("httpx.options", "httpx.request", "httpx.stream", "httpx.Client"),
    "httpx.AsyncClient",
    *(f"requests.{verb}" for verb in ("get", "post", "put", "patch", "delete")),
    *("requests.head", "requests.request", "requests.Session"),
    "urllib.request.urlopen",
    "http.client.HTTPConnection",
    "http.client.HTTPSConnection",
}


def imported_names(tree: ast.Module) -> dict[str, str]:
    """Each name a module binds by import, and the dotted name it stands for."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                names[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0]
                )
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def dotted(node: ast.expr, names: dict[str, str]) -> str | None:
    """``httpx.Client`` for ``httpx.Client`` (or ``Client`` from httpx); else None."""
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.Attribute):
        base = dotted(node.value, names)
        return f"{base}.{node.attr}" if base else None
    return None


def calls_without_timeout(name: str, tree: ast.Module) -> Iterator[str]:
    names = imported_names(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            callee = dotted(node.func, names)
            timeout = next((k for k in node.keywords if k.arg == "timeout"), None)
            no_timeout = timeout is None or (
                isinstance(timeout.value, ast.Constant) and timeout.value.value is None
            )
            if callee in OUTBOUND and no_timeout:
                yield f"{name}:{node.lineno}: {callee}(...) without a timeout"


def test_every_outbound_http_call_has_a_timeout():
    """A service that waits for ever for another holds a thread for ever."""
    found = [
        problem
        for name, tree in python_files()
        for problem in calls_without_timeout(name, tree)
    ]

    assert found == []


@pytest.mark.parametrize(
    "source",
    [
        "import httpx\nhttpx.get(url)",
        "from httpx import Client\nClient(base_url=url, timeout=None)",
        "import urllib.request\nurllib.request.urlopen(url)",
        "import requests as r\nr.post(url, json={})",
    ],
)
def test_the_scan_finds_a_call_without_a_timeout(source):
    """The check itself: each of these would hang on a server that never answers."""
    assert list(calls_without_timeout("planted.py", ast.parse(source)))


def test_the_services_client_has_a_default_timeout():
    """chassis/http.py's ServiceClient waits HTTP_TIMEOUT when given no timeout."""
    from extracted_services.chassis import settings as chassis

    with override_settings(  # a service's values
        HTTP_TIMEOUT=chassis.HTTP_TIMEOUT,
        CIRCUIT_BREAKER_RESET_SECONDS=chassis.CIRCUIT_BREAKER_RESET_SECONDS,
    ):
        client = ServiceClient("catalog", base_url="http://127.0.0.1:9")

    assert 0 < chassis.HTTP_TIMEOUT <= 10
    assert client.http.timeout == httpx.Timeout(chassis.HTTP_TIMEOUT)


# ---------------------------------------------------------------- production settings


def test_production_settings_turn_on_hsts_and_https():
    """HSTS for a year, subdomains included; secure cookies; HTTPS redirect."""
    for path in (
        "monolith/settings/production.py",
        "extracted_services/chassis/production.py",
    ):
        tree = ast.parse((ROOT / path).read_text())
        settings = {
            target.id: node.value
            for node in tree.body
            if isinstance(node, ast.Assign)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for flag in (
            "SECURE_HSTS_INCLUDE_SUBDOMAINS",
            "SESSION_COOKIE_SECURE",
            "CSRF_COOKIE_SECURE",
        ):
            assert ast.literal_eval(settings[flag]) is True, (path, flag)
        assert "SECURE_HSTS_SECONDS" in settings, path
        assert "60 * 60 * 24 * 365" in ast.unparse(settings["SECURE_HSTS_SECONDS"]), (
            path
        )


# ---------------------------------------------------------------- URL length


def test_the_url_limit_is_below_gunicorns():
    """Our 414 problem comes before gunicorn's own HTML 414 (request line limit)."""
    config = GunicornConfig()
    ours = runpy.run_path(str(ROOT / "compose/gunicorn.conf.py"))
    limit = ours.get("limit_request_line", config.limit_request_line)
    # The request line is "METHOD URL HTTP/1.1": room for the longest method.
    longest_line = len("OPTIONS ") + hardening.MAX_URL_LENGTH + len(" HTTP/1.1")

    assert longest_line < limit


def test_an_over_long_url_is_a_414_problem(stack):
    """Above the documented length, under /api/: a problem, not gunicorn's HTML."""
    query = "x" * (hardening.MAX_URL_LENGTH + 10)
    status, content_type, body = raw_get(
        stack.base_url, f"/api/products/?search={query}"
    )

    assert status == HTTPStatus.REQUEST_URI_TOO_LONG, body[:300]
    assert content_type.startswith("application/problem+json")
    assert str(hardening.MAX_URL_LENGTH) in body


def test_a_long_url_below_the_limit_is_answered(api):
    """A long URL that fits is served as usual (the API ignores the parameter)."""
    padding = "x" * (hardening.MAX_URL_LENGTH - 100)

    assert api.get(f"/api/products/?padding={padding}").status_code == HTTPStatus.OK


# ---------------------------------------------------------------- mass assignment


@pytest.fixture
def product(api, staff):
    """A product of the test's own."""
    return create_product(api, staff, stock=10, price="12.50")


def test_posting_status_total_or_user_to_an_order_changes_nothing(
    api, user, other_user, product
):
    """The server decides an order's status, total, payment and owner."""
    other_id = api.get("/api/auth/me/", headers=other_user.headers).json()["id"]
    body = {
        **order_body([(product["id"], 1)], card=DECLINED_CARD),
        "status": "paid",
        "total": "0.01",
        "user": other_id,
        "user_id": other_id,
        "payment": {"status": "approved", "card_last4": "9999"},
    }

    placed = api.post("/api/orders/", json=body, headers=user.headers)
    assert placed.status_code == HTTPStatus.CREATED, placed.text
    order = settled_order(api, user, placed.json()["id"])
    theirs = api.get(f"/api/orders/{order['id']}/", headers=other_user.headers)

    assert order["status"] == "failed"  # the declined card decided, not the body
    assert order["total"] == "12.50"
    assert order["payment"]["card_last4"] == DECLINED_CARD[-4:]
    assert_problem(theirs, HTTPStatus.NOT_FOUND)
