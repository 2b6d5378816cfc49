"""App config for the shop's accounts."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "monolith.accounts"
    label = "accounts"
