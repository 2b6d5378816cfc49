"""``manage.py seed_demo``: fixed demo data, safe to run twice, users only locally."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from monolith.catalog.management.commands.seed_demo import (
    CATALOG_KEPT,
    USERS_SKIPPED,
)
from monolith.catalog.models import Category, Product

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_seeding_makes_categories_and_products_with_a_spread_of_stock():
    """6+ categories, 60+ products, some nearly sold out and one sold out."""
    seed()

    assert Category.objects.count() >= 6
    assert Product.objects.count() >= 60
    assert Product.objects.filter(stock__range=(3, 15)).count() >= 5
    assert Product.objects.filter(stock=0).exists()
    assert not Category.objects.filter(products=None).exists()


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


def test_users_are_skipped_when_debug_is_off(settings):
    """Without DEBUG or --with-users no account with a public password is made."""
    settings.DEBUG = False

    output = seed()

    assert USERS_SKIPPED in output
    assert not get_user_model().objects.exists()


@pytest.mark.parametrize(("debug", "args"), [(False, ["--with-users"]), (True, [])])
def test_demo_users_are_made_locally(settings, debug, args):
    """alice and bob are customers; admin is staff and superuser."""
    settings.DEBUG = debug

    seed(*args)

    users = {u.username: u for u in get_user_model().objects.all()}
    assert set(users) == {"alice", "bob", "admin"}
    assert users["alice"].check_password("alice-local-only-123")
    assert not users["bob"].is_staff
    assert users["admin"].is_staff
    assert users["admin"].is_superuser


def test_existing_demo_users_keep_their_passwords():
    """A second run does not reset a password the user changed."""
    seed("--with-users")
    alice = get_user_model().objects.get(username="alice")
    alice.set_password("a-new-secret-456")
    alice.save()

    output = seed("--with-users")

    alice.refresh_from_db()
    assert alice.check_password("a-new-secret-456")
    assert "User alice: already there." in output


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
