"""WSGI entry point: ``gunicorn extracted_services.storefront.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault(
    "DJANGO_SETTINGS_MODULE", "extracted_services.storefront.settings.local"
)

application = get_wsgi_application()
