"""The catalog's API, mounted under /api/."""

from django.urls import path

from . import apis

app_name = "catalog-api"
urlpatterns = [
    path("categories/", apis.CategoryListApi.as_view(), name="category-list"),
    path("products/", apis.ProductCollectionApi.as_view(), name="product-list"),
    path(
        "products/<int:product_id>/",
        apis.ProductItemApi.as_view(),
        name="product-detail",
    ),
]
