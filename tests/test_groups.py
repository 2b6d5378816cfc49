"""How `make test` shares the main suite between its two workers (tests/conftest.py)."""

import pytest

from tests.conftest import group_of


@pytest.mark.parametrize(
    ("nodeid", "group"),
    [
        ("tests/contract/test_orders.py::test_x[services-sqlite]", "services-sqlite"),
        ("tests/contract/test_echo.py::test_y[monolith-sqlite-a]", "monolith-sqlite"),
        (
            "tests/labs/test_worksheets.py::test_z[monolith-postgres-02-x: Step 1]",
            "monolith-postgres",
        ),
        ("tests/bench/test_run.py::test_a_quick_run", "tests/bench/test_run.py"),
        ("tests/deploy/test_images.py::test_b[orders]", "tests/deploy/test_images.py"),
        # A stack's name inside another word is not that stack.
        ("tests/docs/test_a.py::test_c[not-services-sqlite3]", "tests/docs/test_a.py"),
    ],
)
def test_a_test_on_a_stack_runs_with_that_stacks_group_and_any_other_with_its_module(
    nodeid, group
):
    assert group_of(nodeid) == group
