"""Production: the chassis's hardening on top of this service's settings.

The hardening comes last, so that it wins; then the check of the gateway's own key.
"""

from .base import *

# isort: split
from django.core.exceptions import ImproperlyConfigured

from extracted_services.chassis.keys import pair_problem
from extracted_services.chassis.production import *

from .base import SIMPLE_JWT

# The key that signs users' tokens must be the private half of the services' key.
if _problem := pair_problem(SIMPLE_JWT["SIGNING_KEY"], SIMPLE_JWT["VERIFYING_KEY"]):
    raise ImproperlyConfigured(_problem)
