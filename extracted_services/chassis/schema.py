"""Teach drf-spectacular the chassis's JWT authentication, for every service's schema.

drf-spectacular knows simplejwt's own classes by name only; the chassis's subclass
needs this one line of introduction, or every schema carries a warning about it.
"""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme


class ChassisJWTScheme(SimpleJWTScheme):
    target_class = "extracted_services.chassis.auth.JWTAuthentication"
