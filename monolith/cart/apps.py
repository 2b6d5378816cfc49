"""App config for the shop's cart."""

from django.apps import AppConfig


class CartConfig(AppConfig):
    name = "monolith.cart"
    label = "cart"
