"""factory_boy factories for the catalog's categories, products and reservations."""

import uuid
from decimal import Decimal

import factory

from extracted_services.catalog.models import (
    Category,
    Product,
    Reservation,
    ReservationLine,
)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"category-{n}")
    name = factory.LazyAttribute(lambda c: c.slug.replace("-", " ").title())


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    name = factory.Sequence(lambda n: f"Product {n}")
    description = "A fine product."
    category = factory.SubFactory(CategoryFactory)
    price = Decimal("19.99")
    stock = 10


class ReservationFactory(factory.django.DjangoModelFactory):
    """A reservation without lines: rows only, no stock taken."""

    class Meta:
        model = Reservation

    order_ref = factory.LazyFunction(uuid.uuid4)


class ReservationLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReservationLine

    reservation = factory.SubFactory(ReservationFactory)
    product_id = factory.Sequence(lambda n: 900 + n)
    name = factory.Sequence(lambda n: f"Product {n}")
    price = Decimal("19.99")
    quantity = 1
