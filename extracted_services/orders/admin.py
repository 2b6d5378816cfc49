"""Admin pages: orders (lines, payment), idempotency keys, recovery's rows, outbox."""

from django.contrib import admin

from extracted_services.chassis.outbox_admin import OutboxMessageAdmin

from .models import (
    IdempotencyKey,
    Order,
    OrderLine,
    OutboxMessage,
    PlacementAttempt,
    StockRelease,
)


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    can_delete = False
    # A line is a snapshot of what was bought: it is never edited afterwards.
    fields = readonly_fields = (
        "product_id",
        "name",
        "category",
        "unit_price",
        "quantity",
        "line_total",
    )

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["id", "username", "status", "total", "currency", "created_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["=id", "username", "=user_id", "shipping_name", "=order_ref"]
    date_hierarchy = "created_at"
    fields = [
        "user_id",
        "username",
        "order_ref",
        "status",
        "total",
        "currency",
        "payment_summary",
        "payment_asks",
        "payment_asked_at",
        "shipping_name",
        "shipping_address",
        "created_at",
        "updated_at",
    ]
    # The saga sets the status: changed by hand, it would skip the compensation.
    readonly_fields = [
        "user_id",
        "username",
        "order_ref",
        "status",
        "total",
        "currency",
        "payment_summary",
        "payment_asks",
        "payment_asked_at",
        "created_at",
        "updated_at",
    ]
    inlines = [OrderLineInline]

    @admin.display(description="Payment")
    def payment_summary(self, order: Order) -> str:
        if not order.payment_status:  # blank until payments has answered
            return "-"
        summary = f"{order.get_payment_status_display()}, card ending in "
        summary += order.card_last4
        if order.failure_reason:
            summary += f" ({order.get_failure_reason_display()})"
        return summary


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(admin.ModelAdmin):
    list_display = ["key", "user_id", "order", "created_at"]
    list_select_related = ["order"]
    search_fields = ["key", "=user_id"]
    readonly_fields = ["user_id", "key", "request_hash", "order", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(PlacementAttempt)
class PlacementAttemptAdmin(admin.ModelAdmin):
    """Placements between catalog and their order; recovery reclaims old ones."""

    list_display = ["order_ref", "created_at"]
    readonly_fields = ["order_ref", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(StockRelease)
class StockReleaseAdmin(admin.ModelAdmin):
    """Stock owed back until catalog confirms; recovery resends old ones."""

    list_display = ["order_ref", "asks", "asked_at"]
    readonly_fields = ["order_ref", "asks", "asked_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(OutboxMessage, OutboxMessageAdmin)
