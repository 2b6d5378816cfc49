"""The storefront's URLs: the monolith's pages and the echo lab, and nothing else.

The same URL modules as ``monolith/urls.py``. The catalog's and orders' APIs are not
here, nor the admin: the gateway sends those paths to the services that own them.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("", include("monolith.catalog.urls")),
    path("cart/", include("monolith.cart.urls")),
    path("", include("monolith.orders.urls")),
    path("accounts/", include("monolith.accounts.urls")),
    path("echo/", include("echoapp.urls")),
    path("api/echo/", include("echoapp.api_urls")),
    # The echo API's part of the whole schema, which the gateway puts together.
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("", include("extracted_services.chassis.urls")),
]

handler404 = "extracted_services.chassis.views.api_aware_404"
handler500 = "extracted_services.chassis.views.api_aware_500"
