"""``manage.py seed_demo``: the demo shop's categories and products, as the monolith's.

Safe to run again: rows are matched by slug and SKU, and a second run changes
nothing. ``--products N`` adds generated products in bulk. No users: they live in
the gateway's database now. The catalogue comes from data/demo-catalogue.json, the
one file that the monolith's ``seed_demo`` reads too: both stacks sell the same
things (the benchmark compares them), and the service imports no monolith code to
do so. A service that leaves this repository takes a copy of the file along.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from extracted_services.catalog.management.demo_catalogue import demo_catalogue_seed
from extracted_services.catalog.models import Product
from extracted_services.catalog.selectors import catalog_changed

CATALOG_KEPT = "The catalog already has products, so it is left as it is (--if-empty)."


class Command(BaseCommand):
    help = (
        "Seed the demo catalog: 6 categories and 60 products, always the same as the "
        "monolith's. Safe to run again: rows are matched by slug and SKU, and put "
        "back to the demo values."
    )

    def add_arguments(self, parser: CommandParser) -> None:
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

    def handle(self, *args: Any, if_empty: bool, products: int, **opts: Any) -> None:
        if products < 0:
            raise CommandError("--products needs a number of 0 or more.")
        if if_empty and Product.objects.exists():
            self.stdout.write(CATALOG_KEPT)
        else:
            self.seed_catalog(generated=products)

    def seed_catalog(self, *, generated: int) -> None:
        lines = demo_catalogue_seed(generated=generated)
        # Rows were written without the services: drop the cached reads by hand.
        transaction.on_commit(catalog_changed)
        for line in lines:
            self.stdout.write(self.style.SUCCESS(line))
