"""The storefront as a Django app: its templates and middleware."""

from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    name = "extracted_services.storefront"
    label = "storefront"
    verbose_name = "Storefront"
