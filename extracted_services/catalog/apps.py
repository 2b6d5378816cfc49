"""App config: this package is both the catalog's Django project and its one app."""

from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "extracted_services.catalog"
    label = "catalog"  # the monolith's label: same table names, same admin URLs
    verbose_name = "Catalog"
