"""``manage.py seed_demo``: the data file's demo catalogue, safe to rerun, no users."""

from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from extracted_services.catalog.management.commands.seed_demo import CATALOG_KEPT
from extracted_services.catalog.management.demo_catalogue import demo_catalogue
from extracted_services.catalog.models import Category, Product

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_seeding_makes_exactly_the_monoliths_demo_catalog():
    """Every category and product of the demo data file, which the monolith's seeder
    reads too, with the same values.

    The benchmark compares the two stacks: they must sell the same things.
    """
    seed()

    categories = demo_catalogue()["categories"]
    expected = {
        row["sku"]: (
            category["slug"],
            row["name"],
            Decimal(row["price"]),
            row["stock"],
            row["description"],
        )
        for category in categories
        for row in category["products"]
    }
    seeded = {
        p.sku: (p.category.slug, p.name, p.price, p.stock, p.description)
        for p in Product.objects.select_related("category")
    }
    assert seeded == expected
    assert dict(Category.objects.values_list("slug", "name")) == {
        category["slug"]: category["name"] for category in categories
    }


def test_no_users_are_made():
    """Users live in the gateway now: seeding the catalog makes none, even locally."""
    seed()

    assert not get_user_model().objects.exists()


def test_a_second_run_changes_nothing():
    """Running again saves no row (``updated_at`` stays) and says so."""
    seed()
    before = dict(Product.objects.values_list("sku", "updated_at"))

    output = seed()

    assert dict(Product.objects.values_list("sku", "updated_at")) == before
    assert "Products: 0 created, 0 updated, 60 unchanged." in output


def test_a_run_puts_changed_demo_products_back():
    """A demo product sold out by a lab gets its demo stock back."""
    seed()
    Product.objects.filter(sku="KIT-001").update(stock=0)

    output = seed()

    assert Product.objects.get(sku="KIT-001").stock == 24
    assert "Products: 0 created, 1 updated, 59 unchanged." in output


def test_if_empty_leaves_an_existing_catalog_alone(product):
    """``--if-empty`` seeds nothing once products exist."""
    output = seed("--if-empty")

    assert Product.objects.count() == 1
    assert CATALOG_KEPT in output


def test_generated_products_are_deterministic_and_only_added_once():
    """``--products N`` makes N products, the same values every time."""
    seed("--products", "30")
    first = list(Product.objects.filter(sku__startswith="GEN-").values())
    Product.objects.filter(sku__startswith="GEN-").delete()

    seed("--products", "30")
    output = seed("--products", "40")

    generated = Product.objects.filter(sku__startswith="GEN-")
    assert generated.count() == 40
    again = generated.filter(sku__lte="GEN-000030").values()
    fields = ("sku", "name", "description", "category_id", "price", "stock")
    assert [{f: p[f] for f in fields} for p in again] == [
        {f: p[f] for f in fields} for p in first
    ]
    assert "Generated products: 10 created, 30 already there." in output


def test_a_negative_product_count_is_refused():
    """``--products -1`` is a usage error."""
    with pytest.raises(CommandError):
        seed("--products", "-1")


def test_seeding_drops_the_cached_reads(api_client, django_capture_on_commit_callbacks):
    """Seeding a running service shows at once, not after the cache expires."""
    assert api_client.get("/api/products/").json()["count"] == 0

    with django_capture_on_commit_callbacks(execute=True):
        seed()

    assert api_client.get("/api/products/").json()["count"] == 60
