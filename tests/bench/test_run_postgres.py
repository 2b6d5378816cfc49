"""A quick run on PostgreSQL, end to end: both stacks on a database per service
that the bench makes, measures and drops. Skipped, with the reason, where no
PostgreSQL answers.

A few scenarios at one size, the hop among them: the SQLite quick run
(``test_run.py``) measures them all; this one shows that every step also runs on the
database production would use. No test asserts a timing.
"""

import json

from bench import hop
from bench.plan import STACKS

from .conftest import existing
from .runs import QUICK, Bench, failures_besides_slowness, left_running

SCENARIOS = ("floor", "product-detail", "time-to-paid")


def test_a_quick_run_on_postgres_measures_both_stacks_then_drops_its_databases(
    postgres, tmp_path
):
    before = existing(postgres, "bench_")
    out = tmp_path / "out"
    chosen = [
        arg for name in (*SCENARIOS, hop.SCENARIO) for arg in ("--scenario", name)
    ]
    bench = Bench(
        *QUICK, "--database", "postgres", "--sizes", "200",
        "--sweep", "2", *chosen, "--out", str(out),
    )  # fmt: skip
    code = bench.finish()

    assert code == 0, bench.output()
    document = json.loads((out / "results.json").read_text())
    assert document["options"]["database"] == "postgres"
    assert document["complete"]
    measured = {(m["scenario"], m["stack"]) for m in document["measurements"]}
    assert measured >= {(name, stack) for name in SCENARIOS for stack in STACKS}
    assert measured >= {(hop.SCENARIO, part) for part in hop.PARTS}
    rounds = [r for m in document["measurements"] for r in m["rounds"]]
    assert failures_besides_slowness(rounds) == 0
    assert "Database measured: PostgreSQL" in (out / "report.md").read_text()
    assert existing(postgres, "bench_") == before  # every database dropped
    assert left_running(out) == []
