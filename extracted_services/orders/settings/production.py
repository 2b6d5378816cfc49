"""Production: the chassis's hardening on top of this service's settings.

The hardening comes last, so that it wins.
"""

from .base import *

# isort: split
from extracted_services.chassis.production import *

# isort: split
from django.core.exceptions import ImproperlyConfigured

from extracted_services.chassis.card_sealing import public_key_load

try:  # refuse to start without a usable key, rather than fail at the first order
    public_key_load(PAYMENTS_CARD_PUBLIC_KEY)
except ValueError as exc:
    raise ImproperlyConfigured(str(exc)) from None
