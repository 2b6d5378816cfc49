"""Production: the chassis's hardening on top of this service's settings.

The hardening comes last, so that it wins.
"""

from .base import *

# isort: split
from extracted_services.chassis.production import *
