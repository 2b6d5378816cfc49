"""Admin pages for payments (read-only: a payment is a record of what happened)."""

from django.contrib import admin

from extracted_services.chassis.outbox_admin import OutboxMessageAdmin

from .models import OutboxMessage, Payment


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["id", "order_id", "status", "amount", "card_last4", "created_at"]
    list_filter = ["status", "failure_reason"]
    search_fields = ["=order_id", "card_last4"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(OutboxMessage, OutboxMessageAdmin)
