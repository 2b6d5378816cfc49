"""Dependencies point one way: the services may reuse the monolith, never the reverse.

The monolith and the echo lab are the "before" of the course: they must run, and
make sense, with extracted_services/ deleted. The storefront reuses the monolith's
pages (the strangler fig); the monolith picks the storefront's shop only by the
dotted path in the storefront's own settings. Comments and prose may name the
services; code may not.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUARDED = ("monolith", "echoapp")  # the packages that must not know the services
FORBIDDEN = "extracted_services"
WRONG_WAY = (
    "These point the wrong way: the monolith and the echo lab never import the "
    "services. Move the code to the service that needs it, and let that service "
    "import the monolith (as the storefront's shop does; see SHOP_BACKEND)."
)


def _names_the_services(name: str | None) -> bool:
    return name is not None and (name == FORBIDDEN or name.startswith(f"{FORBIDDEN}."))


def wrong_way_references(source: str, filename: str = "<source>") -> list[str]:
    """Each import of the services in ``source``, and each dotted path to them
    (what ``import_string`` or a setting would import), as ``file:line: what``."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module] if node.level == 0 else []
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names = [node.value]  # e.g. "extracted_services.storefront.shop.X"
        else:
            continue
        found += [
            f"{filename}:{node.lineno}: {name!r}"
            for name in names
            if _names_the_services(name)
        ]
    return found


def guarded_files() -> list[Path]:
    return sorted(path for top in GUARDED for path in (ROOT / top).rglob("*.py"))


def test_the_monolith_and_the_echo_lab_never_import_the_services():
    """No module under monolith/ or echoapp/ imports extracted_services."""
    files = guarded_files()
    found = [
        reference
        for path in files
        for reference in wrong_way_references(
            path.read_text(encoding="utf-8"), str(path.relative_to(ROOT))
        )
    ]

    assert len(files) > 50  # the walk really found the monolith
    assert found == [], "\n".join([WRONG_WAY, *found])


def test_every_kind_of_import_of_the_services_is_caught():
    """``import``, ``from ... import`` and a dotted path in a string all count."""
    source = (
        "import extracted_services.chassis.http\n"
        "from extracted_services.chassis.problems import ServiceUnavailable\n"
        "from extracted_services import chassis\n"
        'SHOP_BACKEND = "extracted_services.storefront.shop.RemoteShop"\n'
    )

    assert wrong_way_references(source, "shop.py") == [
        "shop.py:1: 'extracted_services.chassis.http'",
        "shop.py:2: 'extracted_services.chassis.problems'",
        "shop.py:3: 'extracted_services'",
        "shop.py:4: 'extracted_services.storefront.shop.RemoteShop'",
    ]


def test_comments_prose_and_lookalike_names_are_not_imports():
    """A comment, a sentence naming the folder, or another module are allowed."""
    source = (
        "# the storefront (extracted_services.storefront) reuses this module\n"
        '"""Its twin is extracted_services/chassis/problems.py."""\n'
        "import extracted_servicesque\n"
        "from . import extracted_services\n"
    )

    assert wrong_way_references(source) == []
