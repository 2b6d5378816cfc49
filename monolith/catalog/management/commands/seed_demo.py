"""``manage.py seed_demo``: the demo shop's categories, products and users.

Safe to run again: rows are matched by slug, SKU and username, and a second run
changes nothing (and says so). ``--products N`` adds generated products in bulk.
The catalogue comes from data/demo-catalogue.json, the one file that the catalog
service's ``seed_demo`` reads too: both stacks sell the same things (the benchmark
compares them), and neither imports the other's code to do so.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from monolith.catalog.management.demo_catalogue import demo_catalogue_seed
from monolith.catalog.models import Product

# (username, password, staff). The passwords are public: local machines only.
DEMO_USERS = [
    ("alice", "alice-local-only-123", False),
    ("bob", "bob-local-only-123", False),
    ("admin", "admin-local-only-123", True),
]
USERS_SKIPPED = "Demo users skipped: DEBUG is off. Pass --with-users to make them."
CATALOG_KEPT = "The catalog already has products, so it is left as it is (--if-empty)."


class Command(BaseCommand):
    help = (
        "Seed the demo shop: 6 categories and 60 products, always the same, and "
        "the demo users alice, bob (customers) and admin (staff), but only when "
        "DEBUG is on or --with-users is given. Safe to run again: existing rows "
        "are matched by slug, SKU and username, and put back to the demo values."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--with-users",
            action="store_true",
            help="Make the demo users even with DEBUG off. Their passwords are "
            "public (alice-local-only-123, ...): never on a server.",
        )
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

    def handle(
        self, *args: Any, with_users: bool, if_empty: bool, products: int, **opts: Any
    ) -> None:
        if products < 0:
            raise CommandError("--products needs a number of 0 or more.")
        if if_empty and Product.objects.exists():
            self.stdout.write(CATALOG_KEPT)
        else:
            self.seed_catalog(generated=products)
        if with_users or settings.DEBUG:
            self.seed_users()
        else:
            self.stdout.write(USERS_SKIPPED)

    def seed_catalog(self, *, generated: int) -> None:
        for line in demo_catalogue_seed(generated=generated):
            self.stdout.write(self.style.SUCCESS(line))

    def seed_users(self) -> None:
        user_model = get_user_model()
        for username, password, staff in DEMO_USERS:
            user, created = user_model.objects.get_or_create(
                username=username,
                defaults={
                    "email": f"{username}@example.com",
                    "is_staff": staff,
                    "is_superuser": staff,
                },
            )
            if created:  # an existing user keeps the password they may have changed
                user.set_password(password)
                user.save(update_fields=["password"])
            state = "created" if created else "already there"
            self.stdout.write(f"User {username}: {state}.")
