"""WSGI entry point: ``gunicorn extracted_services.gateway.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault(
    "DJANGO_SETTINGS_MODULE", "extracted_services.gateway.settings.local"
)

application = get_wsgi_application()
