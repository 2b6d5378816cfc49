"""The orders service's URLs: the orders API, its schema, admin, operations."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import apis

order_patterns = [
    path("", apis.OrderCollectionApi.as_view(), name="order-list"),
    path("<int:order_id>/", apis.OrderDetailApi.as_view(), name="order-detail"),
]

urlpatterns = [
    path("api/orders/", include((order_patterns, "orders-api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("admin/", admin.site.urls),
    path("", include("extracted_services.chassis.urls")),
]

handler404 = "extracted_services.chassis.views.api_aware_404"
handler500 = "extracted_services.chassis.views.api_aware_500"
