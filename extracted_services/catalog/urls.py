"""The catalog service's URLs: the public API, the internal API, operations."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import apis

api_patterns = [
    path("categories/", apis.CategoryListApi.as_view(), name="category-list"),
    path("products/", apis.ProductCollectionApi.as_view(), name="product-list"),
    path(
        "products/<int:product_id>/",
        apis.ProductItemApi.as_view(),
        name="product-detail",
    ),
]
internal_patterns = [
    path(
        "reservations/",
        apis.ReservationCreateApi.as_view(),
        name="reservation-create",
    ),
    path(
        "reservations/<uuid:order_ref>/",
        apis.ReservationReleaseApi.as_view(),
        name="reservation-release",
    ),
]
public = [path("api/", include(api_patterns))]
internal = [path("internal/", include(internal_patterns))]

urlpatterns = [
    *public,
    *internal,
    # Two schemas: the gateway merges /api/schema/ into the shop's public one, so
    # it describes only the public API; the internal API is documented apart.
    path("api/schema/", SpectacularAPIView.as_view(patterns=public), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path(
        "internal/schema/",
        SpectacularAPIView.as_view(
            patterns=internal,
            custom_settings={"TITLE": "Catalog service: internal API"},
        ),
        name="internal-schema",
    ),
    path("admin/", admin.site.urls),
    path("", include("extracted_services.chassis.urls")),
]

handler404 = "extracted_services.chassis.views.api_aware_404"
handler500 = "extracted_services.chassis.views.api_aware_500"
