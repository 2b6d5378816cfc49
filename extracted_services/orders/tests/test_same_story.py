"""The orders service tells the monolith's story: same rules, messages and shapes.

The monolith cannot be imported under this service's settings (its models belong to
another Django project), so these tests read its source: the constants, serializers
and checks must be the very same code, or the contract tests could tell them apart.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
MONOLITH = ROOT / "monolith"
SERVICE = ROOT / "extracted_services" / "orders"


def _module(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), filename=str(path))


def _constants(path: Path) -> dict[str, str]:
    """Module-level ``NAME = <expression>``, as source text (f-strings included)."""
    return {
        node.targets[0].id: ast.unparse(node.value)
        for node in _module(path).body
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
    }


def _definitions(path: Path) -> dict[str, ast.AST]:
    """Top-level functions and classes, and the classes nested in classes, by name."""
    found: dict[str, ast.AST] = {}
    for node in _module(path).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            found[node.name] = node
        if isinstance(node, ast.ClassDef):
            for inner in node.body:
                if isinstance(inner, ast.ClassDef):
                    found[f"{node.name}.{inner.name}"] = inner
    return found


# Which monolith module each of the service's modules re-tells.
PLACEMENT = ("orders/services/placement.py", "services/placement.py")
IDEMPOTENCY = ("orders/services/idempotency.py", "services/idempotency.py")
APIS = ("orders/apis.py", "apis.py")
CARDS = ("payments/cards.py", "cards.py")


def _both(files: tuple[str, str], read) -> tuple[dict, dict]:
    monolith, service = files
    return read(MONOLITH / monolith), read(SERVICE / service)


@pytest.mark.parametrize(
    ("files", "names"),
    [
        (
            PLACEMENT,
            [
                "MAX_LINES",
                "MAX_QUANTITY",
                "EMPTY_ORDER",
                "TOO_MANY_LINES",
                "QUANTITY_OUT_OF_RANGE",
                "INVALID_CARD_NUMBER",
                "SHIPPING_REQUIRED",
            ],
        ),
        (IDEMPOTENCY, ["IDEMPOTENCY_KEY_REUSED"]),
        (
            APIS,
            [
                "MAX_ID",
                "IDEMPOTENCY_KEY_HEADER",
                "IDEMPOTENCY_KEY_MAX_LENGTH",
                "IDEMPOTENCY_KEY_INVALID",
            ],
        ),
        (CARDS, ["MIN_DIGITS", "MAX_DIGITS", "_SEPARATORS"]),
    ],
)
def test_the_messages_and_limits_are_the_monoliths_word_for_word(files, names):
    """Every message a client or test relies on is the same expression."""
    theirs, ours = _both(files, _constants)

    assert {name: ours.get(name) for name in names} == {
        name: theirs[name] for name in names
    }


@pytest.mark.parametrize(
    ("files", "name"),
    [
        (APIS, "OrderCreateApi.InputSerializer"),
        (APIS, "OutOfStockProblem"),
        (APIS, "IdempotencyKeyReusedProblem"),
        (APIS, "_idempotency_key"),
        (PLACEMENT, "_validate"),
        (PLACEMENT, "OrderItem"),
        (PLACEMENT, "OrderPlacement"),
        (IDEMPOTENCY, "request_fingerprint"),
        (CARDS, "normalize"),
        (CARDS, "luhn_valid"),
    ],
)
def test_the_rules_and_request_shapes_are_the_monoliths_own_code(files, name):
    """Validation, the request serializer and the problem types: the same code."""
    theirs, ours = _both(files, _definitions)

    assert ast.unparse(ours[name]) == ast.unparse(theirs[name])


def test_the_order_looks_the_same_to_clients():
    """The output serializer is the monolith's: same fields, types and components."""
    theirs, ours = _both(APIS, _definitions)

    assert ast.unparse(ours["OrderOutputSerializer"]) == ast.unparse(
        theirs["OrderOutputSerializer"]
    )


def test_placement_has_the_monoliths_steps_in_the_same_order():
    """order_place, _validate, _order_create, _order_pay: then what the saga adds."""
    theirs, ours = (
        [name for name, node in found.items() if isinstance(node, ast.FunctionDef)]
        for found in _both(PLACEMENT, _definitions)
    )

    assert theirs == ["order_place", "_validate", "_order_create", "_order_pay"]
    assert ours[: len(theirs)] == theirs
