"""Catalog data: categories, products with their stock, and reservations for orders.

Category and Product are the monolith's, moved here with their data. Reservation is
new: in the monolith, stock and orders shared one transaction; here an order lives in
another service, so catalog remembers what it took for which order, and can both
refuse to take it twice and give it back exactly once.
"""

from django.db import models


class Category(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
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


class Reservation(models.Model):
    """The stock taken for one order, known by the order's reference (a UUID).

    Orders reserves before it records the order, so there is no order id yet; the
    reference is made first and sent with every call about the order.
    """

    order_ref = models.UUIDField(unique=True)  # unique: reserving twice reserves once
    created_at = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        state = "released" if self.released_at else "held"
        return f"Reservation {self.order_ref} ({state})"


class ReservationLine(models.Model):
    """One product of a reservation, with the name and price the order was told."""

    reservation = models.ForeignKey(
        Reservation, on_delete=models.CASCADE, related_name="lines"
    )
    # A plain id, not a foreign key to Product: a product ordered once may still be
    # deleted later, as in the monolith's order lines. The snapshot is what counts.
    product_id = models.PositiveBigIntegerField()
    name = models.CharField(max_length=200)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ["product_id"]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.name}"
