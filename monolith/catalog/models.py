"""Catalog data: categories and products, each product with its stock."""

from typing import Any, Protocol

from django.db import models
from django.urls import reverse

# At or below this many items, pages say "Only 3 left" instead of "In stock".
LOW_STOCK = 15


# ------------------------------------------------------------------------------------
# What a category or product says about itself, written once: the models below and
# the storefront's look-alikes, built from the catalog API's JSON
# (extracted_services/storefront/shop/catalog.py), both take these mixins.
# ------------------------------------------------------------------------------------


class _HasSlug(Protocol):
    @property
    def slug(self) -> str: ...


class _HasStock(Protocol):
    @property
    def pk(self) -> Any: ...  # an int: Any, as Django's own Model.pk
    @property
    def stock(self) -> int: ...


class CategoryMixin:
    """A category's page: the product list, filtered to it."""

    def get_absolute_url(self: _HasSlug) -> str:
        return f"{reverse('catalog:product-list')}?category={self.slug}"


class ProductMixin:
    """A product's page, and what its stock means to a customer."""

    def get_absolute_url(self: _HasStock) -> str:
        return reverse("catalog:product-detail", kwargs={"product_id": self.pk})

    @property
    def in_stock(self: _HasStock) -> bool:
        return self.stock > 0

    @property
    def low_stock(self: _HasStock) -> bool:
        """Few enough left that the shop should say how many."""
        return 0 < self.stock <= LOW_STOCK


class Category(CategoryMixin, models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Product(ProductMixin, models.Model):
    sku = models.CharField("SKU", max_length=32, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="products"
    )
    price = models.DecimalField(max_digits=10, decimal_places=2)
    stock = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            # Every list is sorted by name; with 100,000 products (the benchmark)
            # the index turns "sort the table" into "read the first 12 entries".
            models.Index(fields=["name", "id"], name="product_name_id_idx"),
        ]
        constraints = [
            # The last line of defence: the database itself refuses negative stock.
            models.CheckConstraint(
                condition=models.Q(stock__gte=0), name="product_stock_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(price__gte=0), name="product_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name
