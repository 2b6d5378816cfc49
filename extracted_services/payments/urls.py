"""The payments service's URLs: the staff API, its schema, admin, operations."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import apis

urlpatterns = [
    path("api/payments/", apis.PaymentListApi.as_view(), name="payment-list"),
    path(
        "api/payments/<int:payment_id>/",
        apis.PaymentDetailApi.as_view(),
        name="payment-detail",
    ),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("admin/", admin.site.urls),
    path("", include("extracted_services.chassis.urls")),
]

handler404 = "extracted_services.chassis.views.api_aware_404"
handler500 = "extracted_services.chassis.views.api_aware_500"
