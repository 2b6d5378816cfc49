"""``python -m chaos``: its help, and exit code 2 for a bad option."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def chaos(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "chaos", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_the_help_names_every_option_and_invariant():
    """--help explains the options, the faults and the invariants."""
    result = chaos("--help")

    assert result.returncode == 0
    for text in ("--quick", "--orders", "--seed", "--stack", "payments worker",
                 "stuck pending", "Retry-After"):  # fmt: skip
        assert text in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--orders", "0"], "must be 1 or more"),
        (["--orders", "many"], "not a whole number"),
        (["--stack", "mainframe"], "invalid choice"),
    ],
)
def test_a_bad_option_is_exit_code_2_with_a_reason(args, message):
    """A wrong option starts nothing: exit code 2 and a line that says why."""
    result = chaos(*args)

    assert result.returncode == 2
    assert message in result.stderr
