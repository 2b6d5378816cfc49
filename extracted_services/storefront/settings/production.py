"""Production: this service's settings, then the chassis's hardening on top."""

from .base import *

# isort: split
from extracted_services.chassis.production import *  # last, so that it wins
