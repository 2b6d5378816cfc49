"""The monolith's URLs: the shop's pages, its API, the echo lab and operations."""

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from monolith.core import views as core_views

api_patterns: list[URLPattern | URLResolver] = [
    path("auth/", include("monolith.accounts.api_urls")),
    path("", include("monolith.catalog.api_urls")),
    path("orders/", include("monolith.orders.api_urls")),
    path("recommendations/", include("monolith.recommendations.api_urls")),
    path("reports/", include("monolith.reports.api_urls")),
    path("echo/", include("echoapp.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
]

urlpatterns = [
    path("", include("monolith.catalog.urls")),
    path("cart/", include("monolith.cart.urls")),
    path("", include("monolith.orders.urls")),
    path("accounts/", include("monolith.accounts.urls")),
    path("echo/", include("echoapp.urls")),
    path("reports/", include("monolith.reports.urls")),
    path("api/", include(api_patterns)),
    path("admin/", admin.site.urls),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("metrics", core_views.metrics_view, name="metrics"),
]

handler404 = "monolith.core.views.api_aware_404"
handler500 = "monolith.core.views.api_aware_500"
