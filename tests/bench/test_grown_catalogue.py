"""A catalogue grown in bulk on PostgreSQL, as the bench grows it between sizes:
the planner knows its new size at once, on both stacks.

Before, the planner went on taking a grown catalogue for an empty one until
autovacuum caught up, a minute or so later, and a search computed ``to_tsvector``
for every row instead of reading the GIN index: at 10,000 products the bench's
searches took nearly four times as long as at 100,000 (docs/benchmark.md).
"""

import os
import subprocess
import sys

import psycopg
import pytest

from tests.bench.runs import ROOT
from tests.harness.databases import postgres_database

GENERATED = 240
MANAGE = {
    "monolith": "manage.py",
    "services": "extracted_services/catalog/manage.py",
}


def manage(script: str, database_url: str, *args: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url}
    subprocess.run(
        [sys.executable, script, *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )


@pytest.mark.parametrize("side", sorted(MANAGE))
def test_seeding_products_in_bulk_leaves_the_planner_their_number(postgres, side):
    with postgres_database("seeded") as database_url:
        manage(MANAGE[side], database_url, "migrate", "--verbosity", "0")
        manage(MANAGE[side], database_url, "seed_demo", "--products", str(GENERATED))

        with psycopg.connect(database_url) as conn:
            (rows,) = conn.execute("SELECT count(*) FROM catalog_product").fetchone()
            # What the planner believes; -1 until the table is first analyzed.
            (believed,) = conn.execute(
                "SELECT reltuples FROM pg_class WHERE relname = 'catalog_product'"
            ).fetchone()

    assert rows > GENERATED
    assert believed == rows
