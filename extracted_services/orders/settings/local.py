"""Local development: the default for this service's manage.py and ``make run``."""

from extracted_services.chassis.card_sealing import (
    PUBLIC_KEY_FILE,
    pem_from_environment,
)
from extracted_services.chassis.settings import VAR_DIR

from .base import *
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# A development-only key: production.py refuses to start with it.
SECRET_KEY = env("SECRET_KEY", default="django-insecure-local-orders-only")
# The development key pair that `make run` makes once in var/keys/ (git-ignored).
PAYMENTS_CARD_PUBLIC_KEY = pem_from_environment(
    "PAYMENTS_CARD_PUBLIC_KEY", default_file=VAR_DIR / "keys" / PUBLIC_KEY_FILE
)
