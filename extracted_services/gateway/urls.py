"""The gateway's URLs: its own paths first, then everything else to a service."""

from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularSwaggerView

from . import apis
from .proxy import proxy_view
from .schema import MergedSchemaApi

auth_patterns = [
    path("register/", apis.RegisterApi.as_view(), name="register"),
    path("token/", apis.TokenObtainApi.as_view(), name="token"),
    path("token/refresh/", apis.TokenRefreshApi.as_view(), name="token-refresh"),
    path("me/", apis.MeApi.as_view(), name="me"),
]

urlpatterns = [
    path("api/auth/", include((auth_patterns, "accounts-api"))),
    path("api/schema/", MergedSchemaApi.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("admin/", admin.site.urls),
    path("", include("extracted_services.chassis.urls")),
    # Everything else belongs to a service behind us (routing.py says which).
    re_path(r"", proxy_view, name="proxy"),
]

handler404 = "extracted_services.chassis.views.api_aware_404"
handler500 = "extracted_services.chassis.views.api_aware_500"
