"""Admin pages for orders (with their lines and payment) and idempotency keys."""

from django.contrib import admin

from .models import IdempotencyKey, Order, OrderLine


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    can_delete = False
    # A line is a snapshot of what was bought: it is never edited afterwards.
    fields = readonly_fields = (
        "product",
        "name",
        "unit_price",
        "quantity",
        "line_total",
    )

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "status", "total", "currency", "created_at"]
    list_filter = ["status", "created_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email", "shipping_name"]
    date_hierarchy = "created_at"
    fields = [
        "user",
        "status",
        "total",
        "currency",
        "payment_summary",
        "shipping_name",
        "shipping_address",
        "created_at",
        "updated_at",
    ]
    readonly_fields = [
        "user",
        "total",
        "currency",
        "payment_summary",
        "created_at",
        "updated_at",
    ]
    inlines = [OrderLineInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("payment")

    @admin.display(description="Payment")
    def payment_summary(self, order: Order) -> str:
        payment = getattr(order, "payment", None)  # None until the card is charged
        if payment is None:
            return "-"
        summary = f"{payment.get_status_display()}, card ending in {payment.card_last4}"
        if payment.failure_reason:
            summary += f" ({payment.get_failure_reason_display()})"
        return summary


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(admin.ModelAdmin):
    list_display = ["key", "user", "order", "created_at"]
    list_select_related = ["user", "order"]
    search_fields = ["key", "user__username"]
    readonly_fields = ["user", "key", "request_hash", "order", "created_at"]

    def has_add_permission(self, request):
        return False
