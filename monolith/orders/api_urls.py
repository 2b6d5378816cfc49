"""The orders API, mounted at /api/orders/."""

from django.urls import path

from . import apis

app_name = "orders-api"
urlpatterns = [
    path("", apis.OrderCollectionApi.as_view(), name="order-list"),
    path("<int:order_id>/", apis.OrderDetailApi.as_view(), name="order-detail"),
]
