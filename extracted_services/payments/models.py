"""Payments: one per order, with only the last four digits of the card.

The monolith's ``Payment`` with the order as a plain id: orders live in another
service. The unique constraint on ``order_id`` is what makes charging idempotent.
"""

from django.db import models

from extracted_services.chassis.outbox import OutboxMessage as BaseOutboxMessage


class Payment(models.Model):
    class Status(models.TextChoices):
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    class FailureReason(models.TextChoices):
        CARD_DECLINED = "card_declined", "The card was declined"
        INSUFFICIENT_FUNDS = "insufficient_funds", "Insufficient funds"
        INVALID_NUMBER = "invalid_number", "The card number is not valid"

    # Unique: a charge message delivered twice finds its payment, never makes two.
    order_id = models.PositiveBigIntegerField(unique=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, default="EUR")
    status = models.CharField(max_length=10, choices=Status.choices)
    card_last4 = models.CharField(max_length=4)
    failure_reason = models.CharField(
        max_length=50, choices=FailureReason.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Payment for order #{self.order_id} ({self.status})"

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class OutboxMessage(BaseOutboxMessage):
    """Results to send to orders once the payment that decided them has committed."""
