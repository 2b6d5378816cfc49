"""Local development: the default for this service's manage.py and ``make run``."""

from .base import *
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# A development-only key: production.py refuses to start with it.
SECRET_KEY = env("SECRET_KEY", default="django-insecure-local-storefront-only")
