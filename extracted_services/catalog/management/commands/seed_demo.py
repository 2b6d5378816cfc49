"""``manage.py seed_demo``: the demo shop's categories and products, as the monolith's.

Safe to run again: rows are matched by slug and SKU, and a second run changes
nothing. ``--products N`` adds generated products in bulk. No users: they live in
the gateway's database now.
"""

import random
from collections import Counter
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction

from extracted_services.catalog.models import Category, Product
from extracted_services.catalog.selectors import catalog_changed

# The one import from the monolith, and only of plain data: the benchmark compares
# the two stacks, so both must sell exactly the same products. (A real extraction
# would copy the module once and let the two drift.)
from monolith.catalog.management.demo_data import (
    CATEGORIES,
    GENERATED_ADJECTIVES,
    GENERATED_MATERIALS,
    GENERATED_NOUNS,
)

GENERATED_SKU = "GEN-{:06d}"
GENERATED_SEED = 2026  # one fixed random stream: product 7 is the same on every run
BATCH_SIZE = 2000  # rows per INSERT; keeps SQLite under its limit of parameters
CATALOG_KEPT = "The catalog already has products, so it is left as it is (--if-empty)."


class Command(BaseCommand):
    help = (
        "Seed the demo catalog: 6 categories and 60 products, always the same as the "
        "monolith's. Safe to run again: rows are matched by slug and SKU, and put "
        "back to the demo values."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Leave the catalog alone when it already has products.",
        )
        parser.add_argument(
            "--products",
            type=int,
            default=0,
            metavar="N",
            help="Also make N generated products (GEN-000001 to GEN-<N>), in bulk, "
            "for benchmarks; the same N products every time.",
        )

    def handle(self, *args, if_empty: bool, products: int, **opts):
        if products < 0:
            raise CommandError("--products needs a number of 0 or more.")
        if if_empty and Product.objects.exists():
            self.stdout.write(CATALOG_KEPT)
        else:
            self.seed_catalog(generated=products)

    @transaction.atomic
    def seed_catalog(self, *, generated: int) -> None:
        category_outcomes, product_outcomes = Counter(), Counter()
        categories = []
        for slug, name, rows in CATEGORIES:
            category, outcome = _upsert(Category, {"slug": slug}, {"name": name})
            categories.append(category)
            category_outcomes[outcome] += 1
            for sku, product_name, price, stock, description in rows:
                values = {
                    "name": product_name,
                    "description": description,
                    "category_id": category.pk,  # an id: comparing needs no query
                    "price": Decimal(price),
                    "stock": stock,
                }
                _, outcome = _upsert(Product, {"sku": sku}, values)
                product_outcomes[outcome] += 1
        # Rows were written without the services: drop the cached reads by hand.
        transaction.on_commit(catalog_changed)
        self._report("Categories", category_outcomes)
        self._report("Products", product_outcomes)
        if generated:
            made = _generate_products(generated, categories)
            self.stdout.write(
                f"Generated products: {made} created, {generated - made} already there."
            )

    def _report(self, label: str, outcomes: Counter) -> None:
        counts = ", ".join(
            f"{outcomes[key]} {key}" for key in ("created", "updated", "unchanged")
        )
        self.stdout.write(self.style.SUCCESS(f"{label}: {counts}."))


def _upsert(model: type[models.Model], lookup: dict, values: dict):
    """Create a row or bring it back to ``values``; say which of the three happened.

    Unlike ``update_or_create``, an unchanged row is not saved again, so a second
    run really changes nothing (not even ``updated_at``).
    """
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        return model.objects.create(**lookup, **values), "created"
    changed = {k: v for k, v in values.items() if getattr(instance, k) != v}
    if not changed:
        return instance, "unchanged"
    for field, value in changed.items():
        setattr(instance, field, value)
    instance.save()
    return instance, "updated"


def _generate_products(count: int, categories: list[Category]) -> int:
    """Make products GEN-000001 to GEN-<count> where missing; return how many."""
    rng = random.Random(GENERATED_SEED)
    existing = set(
        Product.objects.filter(sku__startswith="GEN-").values_list("sku", flat=True)
    )
    new = []
    for number in range(1, count + 1):
        # Draw for every number, made or not, so each product's values stay fixed.
        adjective = rng.choice(GENERATED_ADJECTIVES)
        material = rng.choice(GENERATED_MATERIALS)
        noun = rng.choice(GENERATED_NOUNS)
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
    return len(new)
