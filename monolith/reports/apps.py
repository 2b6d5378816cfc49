"""App config for sales reports."""

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "monolith.reports"
    label = "reports"
    verbose_name = "Sales reports"
