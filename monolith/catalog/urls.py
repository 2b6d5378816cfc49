"""The catalog's pages, at the site's root."""

from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.product_list_view, name="product-list"),
    path(
        "products/<int:product_id>/",
        views.product_detail_view,
        name="product-detail",
    ),
]
