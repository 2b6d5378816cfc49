"""What each service's ``manage.py`` runs, so the five stay three lines long."""

import os
import sys


def main(service: str) -> None:
    """``manage.py`` for ``service``, with its local settings unless told otherwise."""
    os.environ.setdefault(
        "DJANGO_SETTINGS_MODULE", f"extracted_services.{service}.settings.local"
    )
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
