"""The order pages, mounted at the site's root."""

from django.urls import path

from . import views

app_name = "orders"
urlpatterns = [
    path("checkout/", views.checkout_view, name="checkout"),
    path("orders/", views.order_list_view, name="order-list"),
    path("orders/<int:order_id>/", views.order_detail_view, name="order-detail"),
]
