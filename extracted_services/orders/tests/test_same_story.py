"""The orders service tells the monolith's story: same rules, messages and shapes.

The monolith cannot be imported under this service's settings (its models belong to
another Django project), so these tests read its source: the constants, serializers
and checks must be the very same code, or the contract tests could tell them apart.
"""

import ast
from pathlib import Path

import pytest

from extracted_services.orders import saga

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
    """order_place, _validate, _order_record, _payment_request: then the saga's own."""
    theirs, ours = (
        [name for name, node in found.items() if isinstance(node, ast.FunctionDef)]
        for found in _both(PLACEMENT, _definitions)
    )

    assert theirs == ["order_place", "_validate", "_order_record", "_payment_request"]
    assert ours[: len(theirs)] == theirs


def _calls(path: Path, function: str) -> list[str]:
    """The functions ``function`` calls by name, in the order its source calls them.

    Classes (``OrderItem(...)``) and methods (``transaction.atomic()``) are left out:
    the steps are plain functions.
    """
    calls = [
        node
        for node in ast.walk(_definitions(path)[function])
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id.lstrip("_")[:1].islower()
    ]
    calls.sort(key=lambda node: (node.lineno, node.col_offset))
    return [node.func.id for node in calls]


# What only one side calls: the network's additions (catalog's reference for the
# reservation, the card sealed for payments, the compensations, the attempt that
# recovery.py reclaims if the process dies mid-way) and the monolith's replay after
# a rollback.
ONLY_THE_SERVICE = {
    "uuid4",
    "_card_seal",
    "attempt_open",
    "attempt_close",
    "_order_abandon",
}
ONLY_THE_MONOLITH = {"claimed_order"}


def test_both_order_place_functions_call_the_same_helpers_in_the_same_order():
    """Same names, same order: a diff of the two shows only what the network changed."""
    theirs, ours = (
        _calls(MONOLITH / PLACEMENT[0], "order_place"),
        _calls(SERVICE / PLACEMENT[1], "order_place"),
    )

    assert [name for name in theirs if name not in ONLY_THE_MONOLITH] == [
        name for name in ours if name not in ONLY_THE_SERVICE
    ]
    assert "stock_reserve" in theirs  # the reservation is a step, not hidden in one


@pytest.mark.parametrize(
    "path",
    [MONOLITH / PLACEMENT[0], SERVICE / PLACEMENT[1]],
    ids=["monolith", "service"],
)
def test_order_place_takes_the_sagas_steps_in_the_order_of_its_table(path):
    """saga.PLACEMENT_STEPS is what each order_place does, step by step."""
    steps = [step.helper for step in saga.PLACEMENT_STEPS]

    assert [name for name in _calls(path, "order_place") if name in steps] == steps


def test_the_table_students_read_is_the_steps_the_code_takes():
    """The table in saga.py's docstring lists STEPS, in order, one row each."""
    helpers = [step.helper for step in saga.STEPS]
    rows = [line.split()[0] for line in saga.__doc__.splitlines() if line.strip()]

    assert [row for row in rows if row in helpers] == helpers


def test_the_last_step_is_where_payments_answer_is_recorded():
    """PAYMENT_RECORD names the function that the orders.payment_result task calls."""
    definitions = _definitions(SERVICE / "services" / "payment_result.py")

    assert saga.PAYMENT_RECORD.helper in definitions
    assert saga.STEPS[-1] is saga.PAYMENT_RECORD
    assert saga.PAYMENT_RECORD not in saga.PLACEMENT_STEPS
