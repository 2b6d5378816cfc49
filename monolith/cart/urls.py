"""The cart's pages, mounted at /cart/."""

from django.urls import path

from . import views

app_name = "cart"
urlpatterns = [
    path("", views.cart_detail_view, name="detail"),
    path("add/", views.cart_add_view, name="add"),
    path("update/<int:product_id>/", views.cart_update_view, name="update"),
    path("remove/<int:product_id>/", views.cart_remove_view, name="remove"),
]
