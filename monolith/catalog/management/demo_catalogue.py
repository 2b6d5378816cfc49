"""The demo catalogue, seeded from the one data file every stack's seeder reads.

``seed_demo`` calls ``demo_catalogue_seed``; data/demo-catalogue.json holds the rows
(data/README.md says why a data file). Copied on purpose to the catalog service's
management/demo_catalogue.py, as the code moved with the data it owns;
tests/test_copies.py keeps the two identical, so both stacks sell the same things.
"""

import json
import random
from collections import Counter
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from django.db import connection, models, transaction

from ..models import Category, Product

# The repository's data/ folder: data, not code, so neither side imports the other.
DEMO_CATALOGUE = Path(__file__).resolve().parents[3] / "data" / "demo-catalogue.json"
GENERATED_SKU = "GEN-{:06d}"
GENERATED_SEED = 2026  # one fixed random stream: product 7 is the same on every run
BATCH_SIZE = 2000  # rows per INSERT; keeps SQLite under its limit of parameters
OUTCOMES = ("created", "updated", "unchanged")
M = TypeVar("M", bound=models.Model)


@cache  # one file, read once per process
def demo_catalogue() -> dict[str, Any]:
    """The demo catalogue: ``{"categories": [{slug, name, products: [...]}], ...}``."""
    catalogue: dict[str, Any] = json.loads(DEMO_CATALOGUE.read_text("utf-8"))
    return catalogue


@transaction.atomic
def demo_catalogue_seed(*, generated: int = 0) -> list[str]:
    """Bring the catalogue's rows to the demo values, and make ``generated`` more.

    Rows are matched by slug and SKU. Returns what happened, a line per kind of row.
    """
    category_outcomes: Counter[str] = Counter()
    product_outcomes: Counter[str] = Counter()
    categories = []
    for entry in demo_catalogue()["categories"]:
        category, outcome = _upsert(
            Category, {"slug": entry["slug"]}, {"name": entry["name"]}
        )
        categories.append(category)
        category_outcomes[outcome] += 1
        for row in entry["products"]:
            values = {
                "name": row["name"],
                "description": row["description"],
                "category_id": category.pk,  # an id: comparing needs no query
                "price": Decimal(row["price"]),
                "stock": row["stock"],
            }
            _, outcome = _upsert(Product, {"sku": row["sku"]}, values)
            product_outcomes[outcome] += 1
    lines = [_counted("Categories", category_outcomes)]
    lines.append(_counted("Products", product_outcomes))
    if generated:
        made = _generate_products(generated, categories)
        lines.append(
            f"Generated products: {made} created, {generated - made} already there."
        )
    return lines


def _counted(label: str, outcomes: Counter[str]) -> str:
    return f"{label}: {', '.join(f'{outcomes[key]} {key}' for key in OUTCOMES)}."


def _upsert(
    model: type[M], lookup: dict[str, Any], values: dict[str, Any]
) -> tuple[M, str]:
    """Create a row or bring it back to ``values``; say which of the three happened.

    Unlike ``update_or_create``, an unchanged row is not saved again, so a second
    run really changes nothing (not even ``updated_at``).
    """
    instance = model._default_manager.filter(**lookup).first()
    if instance is None:
        return model._default_manager.create(**lookup, **values), "created"
    changed = {k: v for k, v in values.items() if getattr(instance, k) != v}
    if not changed:
        return instance, "unchanged"
    for field, value in changed.items():
        setattr(instance, field, value)
    instance.save()
    return instance, "updated"


def _generate_products(count: int, categories: list[Category]) -> int:
    """Make products GEN-000001 to GEN-<count> where missing; return how many."""
    words = demo_catalogue()["generated"]
    rng = random.Random(GENERATED_SEED)  # noqa: S311 (fixed demo values, not secrets)
    existing = set(
        Product.objects.filter(sku__startswith="GEN-").values_list("sku", flat=True)
    )
    new = []
    for number in range(1, count + 1):
        # Draw for every number, made or not, so each product's values stay fixed.
        adjective = rng.choice(words["adjectives"])
        material = rng.choice(words["materials"])
        noun = rng.choice(words["nouns"])
        price = Decimal(rng.randint(290, 24990)).scaleb(-2)  # cents to euros
        stock = rng.randint(0, 250)
        sku = GENERATED_SKU.format(number)
        if sku in existing:
            continue
        new.append(
            Product(
                sku=sku,
                name=f"{adjective} {material} {noun}",
                description=f"A {adjective.lower()} {noun.lower()} in "
                f"{material.lower()}, made to be used every day.",
                category=categories[number % len(categories)],
                price=price,
                stock=stock,
            )
        )
    Product.objects.bulk_create(new, batch_size=BATCH_SIZE)
    if new:
        _refresh_statistics(Product)
    return len(new)


def _refresh_statistics(model: type[models.Model]) -> None:
    """Tell PostgreSQL's planner what a bulk load just added, as its manual advises.

    PostgreSQL plans from statistics that autovacuum refreshes only a minute or so
    after a load. Until then it took a grown catalogue for an empty one and searched
    by computing ``to_tsvector`` for every row instead of reading the GIN index: 73
    ms a query at 10,000 products against 3 (docs/benchmark.md, "Search on
    PostgreSQL"). SQLite keeps no statistics unless asked, and plans these queries
    well without them. Inside the seeding transaction, ANALYZE counts its new rows.
    """
    if connection.vendor != "postgresql":
        return
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")
