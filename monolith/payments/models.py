"""Simulated card payments: one per order; only the card's last four digits are kept."""

from django.db import models


class Payment(models.Model):
    class Status(models.TextChoices):
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    class FailureReason(models.TextChoices):
        CARD_DECLINED = "card_declined", "The card was declined"
        INSUFFICIENT_FUNDS = "insufficient_funds", "Insufficient funds"
        INVALID_NUMBER = "invalid_number", "The card number is not valid"

    # One-to-one: the database itself refuses a second charge for the same order.
    order = models.OneToOneField(
        "orders.Order", on_delete=models.CASCADE, related_name="payment"
    )
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
        return f"Payment for order #{self.order_id}: {self.status}"

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED
