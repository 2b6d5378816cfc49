"""Orders, their lines (a snapshot of name, category, price when sold), the outbox.

The monolith's models with the network in between: the user and the product are
plain ids (they live in the gateway's and catalog's databases), and the payment's
outcome is copied onto the order when payments reports it. PlacementAttempt,
StockRelease and the payment-asking fields are for ``recovery.py``: what a crash or a
lost message leaves half done.
"""

from decimal import Decimal

from django.db import models
from django.utils import timezone

from extracted_services.chassis.outbox import OutboxMessage as BaseOutboxMessage


class Order(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        PAID = "paid", "Paid"
        FAILED = "failed", "Failed"

    # The payment's outcome, as payments reports it (its Payment's choices).
    class PaymentStatus(models.TextChoices):
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    class FailureReason(models.TextChoices):
        CARD_DECLINED = "card_declined", "The card was declined"
        INSUFFICIENT_FUNDS = "insufficient_funds", "Insufficient funds"
        INVALID_NUMBER = "invalid_number", "The card number is not valid"

    # An id, not a foreign key: users live in the gateway's database.
    user_id = models.PositiveBigIntegerField()
    # The token's username when the order was placed, for people in the admin.
    username = models.CharField(max_length=150, blank=True)
    # Made before the order is recorded: catalog knows the reservation by it.
    order_ref = models.UUIDField(unique=True, editable=False)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    total = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, default="EUR")
    shipping_name = models.CharField(max_length=200)
    shipping_address = models.TextField()
    # Blank until payments has answered; never the card number, only its last 4.
    payment_status = models.CharField(
        max_length=10, choices=PaymentStatus.choices, blank=True
    )
    card_last4 = models.CharField(max_length=4, blank=True)
    failure_reason = models.CharField(
        max_length=50, choices=FailureReason.choices, blank=True
    )
    # The card, sealed for payments (only its private key opens it), kept while the
    # order is pending so that recovery can ask for the charge again; blank once final.
    card_sealed = models.TextField(blank=True, editable=False)
    # How many times payments was asked to charge (placing asks once), and when last:
    # recovery asks again when it has not answered in time (PAYMENT_TIMEOUT_SECONDS).
    payment_asks = models.PositiveSmallIntegerField(default=1, editable=False)
    payment_asked_at = models.DateTimeField(default=timezone.now, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user_id", "-created_at"]),
            # Recovery's question every few seconds: which pending orders wait longest?
            models.Index(fields=["status", "payment_asked_at"]),
        ]

    def __str__(self) -> str:
        return f"Order #{self.pk} ({self.status})"

    @property
    def is_final(self) -> bool:
        return self.status != self.Status.PENDING

    @property
    def payment(self) -> dict | None:
        """The API's ``payment``: None until payments has answered."""
        if not self.payment_status:
            return None
        return {
            "status": self.payment_status,
            "card_last4": self.card_last4,
            "failure_reason": self.failure_reason,
        }


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    # An id, not a foreign key: products live in catalog's database.
    product_id = models.PositiveBigIntegerField()
    # Name and price may change later; the line keeps what was bought.
    name = models.CharField(max_length=200)
    # The product's category slug, as catalog said when it reserved: order events
    # carry it, so subscribers never have to ask catalog.
    category = models.SlugField(max_length=60, blank=True)
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)
    quantity = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.name}"

    @property
    def line_total(self) -> Decimal:
        return self.unit_price * self.quantity


class IdempotencyKey(models.Model):
    """One row per (user, key): a replay returns the order made the first time."""

    user_id = models.PositiveBigIntegerField()
    key = models.CharField(max_length=255)
    # A keyed SHA-256 of the request: a replay must send the very same request.
    request_hash = models.CharField(max_length=64)
    # Empty while the first request is placing its order (reserving at catalog).
    order = models.OneToOneField(
        Order, on_delete=models.CASCADE, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # A second request with the same key fails here, then waits for the order.
            models.UniqueConstraint(
                fields=["user_id", "key"], name="unique_idempotency_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"


class PlacementAttempt(models.Model):
    """A placement between asking catalog for stock and recording its order.

    Written (and committed) before catalog is asked, deleted in the transaction that
    records the order. One that outlives RESERVATION_SECONDS belongs to a process that
    died mid-placement: recovery gives its stock back, and the order is never recorded.
    """

    # Catalog knows the reservation by it; unique, so one attempt per order.
    order_ref = models.UUIDField(unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Placement {self.order_ref}"


class StockRelease(models.Model):
    """Stock catalog owes back (the saga's compensation), until catalog confirms it.

    Written with the orders.stock_release message, deleted by the worker once catalog
    has answered. A message lost with the broker's data leaves the row behind, and
    recovery sends the message again.
    """

    order_ref = models.UUIDField(unique=True, editable=False)
    # How many times the message was sent, and when last (recovery backs off).
    asks = models.PositiveSmallIntegerField(default=1)
    asked_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["asked_at"]

    def __str__(self) -> str:
        return f"Stock owed back for {self.order_ref}"


class OutboxMessage(BaseOutboxMessage):
    """Messages to send once the change that caused them has committed."""
