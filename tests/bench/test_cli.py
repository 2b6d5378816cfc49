"""``python -m bench``: its help, and clear errors for bad options."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def bench(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bench", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_the_help_explains_every_option():
    """--help names each option the issue asks for, and every scenario."""
    result = bench("--help")

    assert result.returncode == 0
    for option in ("--quick", "--duration", "--users", "--scenario", "--rounds",
                   "--out", "--monolith", "--services", "--redraw",
                   "--database"):  # fmt: skip
        assert option in result.stdout
    assert "time-to-paid" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sizes", "10"], "--sizes"),
        (["--sizes", "10000,1000"], "--sizes"),
        (["--sweep", "1,x"], "whole numbers"),
        (["--duration", "0"], "more than 0"),
        (["--monolith", "http://127.0.0.1:9"], "go together"),
        (["--scenario", "nope"], "invalid choice"),
        (["--database", "mysql"], "invalid choice"),
        (
            [
                "--database",
                "postgres",
                "--monolith",
                "http://127.0.0.1:9",
                "--services",
                "http://127.0.0.1:9",
            ],
            "attached stacks keep the database",
        ),
    ],
)
def test_bad_options_are_refused_with_a_clear_message(args, message):
    """Exit status 2 and one line saying what is wrong; nothing is started."""
    result = bench(*args)

    assert result.returncode == 2
    assert message in result.stderr


def test_an_existing_results_folder_is_never_overwritten(tmp_path):
    """--out names a folder that exists: refused, the folder is untouched."""
    (tmp_path / "keep.txt").write_text("mine")

    result = bench("--quick", "--out", str(tmp_path))

    assert result.returncode == 2
    assert "exists already" in result.stderr
    assert (tmp_path / "keep.txt").read_text() == "mine"


@pytest.mark.parametrize(
    ("args", "workers"),
    [([], 2), (["--quick"], 1), (["--quick", "--workers", "3"], 3)],
)
def test_the_monolith_s_workers_follow_the_profile_unless_given(args, workers):
    """--quick's lighter stacks: one monolith worker, as its help says."""
    from bench.cli import config_from, parser

    p = parser()
    config = config_from(p.parse_args(args), p)

    assert config.workers == workers
    assert config.threads == 4
