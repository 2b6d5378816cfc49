"""Admin pages for categories, products, and the reservations made for orders."""

from django.contrib import admin
from django.db import transaction
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from .models import Category, Product, Reservation, ReservationLine
from .selectors import catalog_changed


class CatalogModelAdmin(admin.ModelAdmin):
    """The admin saves models itself, not through services: drop the cached reads."""

    def save_model(
        self, request: HttpRequest, obj: Model, form: ModelForm, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        transaction.on_commit(catalog_changed)

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        super().delete_model(request, obj)
        transaction.on_commit(catalog_changed)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        super().delete_queryset(request, queryset)
        transaction.on_commit(catalog_changed)


@admin.register(Category)
class CategoryAdmin(CatalogModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]


@admin.register(Product)
class ProductAdmin(CatalogModelAdmin):
    list_display = ["name", "sku", "category", "price", "stock", "updated_at"]
    # Restocking from the list page: the column most often changed by hand.
    list_editable = ["stock"]
    list_filter = ["category"]
    list_select_related = ["category"]
    search_fields = ["name", "sku", "description"]
    readonly_fields = ["created_at", "updated_at"]
    list_per_page = 50


# A line is a snapshot of what an order reserved: shown, never edited.
RESERVATION_LINE_FIELDS = ("product_id", "name", "price", "quantity")


class ReservationLineInline(admin.TabularInline):
    model = ReservationLine
    fields = readonly_fields = RESERVATION_LINE_FIELDS
    extra = 0
    can_delete = False


@admin.register(Reservation)
class ReservationAdmin(admin.ModelAdmin):
    """Read-only: reservations change only through the orders service's calls."""

    list_display = ["order_ref", "created_at", "released_at"]
    list_filter = [("released_at", admin.EmptyFieldListFilter)]
    search_fields = ["order_ref"]
    readonly_fields = ["order_ref", "created_at", "released_at"]
    inlines = [ReservationLineInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
