"""Admin pages for payments: read-only, since a payment records what happened."""

from django.contrib import admin

from .models import Payment


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["order", "status", "amount", "currency", "card_last4", "created_at"]
    list_filter = ["status", "failure_reason"]
    list_select_related = ["order"]
    date_hierarchy = "created_at"

    # Staff may look but not touch: without add, change and delete permissions the
    # admin shows every field read-only and hides the Save and Delete buttons.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
