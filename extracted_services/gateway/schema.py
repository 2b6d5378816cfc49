"""One OpenAPI document for the whole public API, put together from the services'.

Each service describes its own API at ``/api/schema/``; the gateway adds its own
(users and tokens) and merges the paths and components. A service that does not
answer is left out, and the description says so, rather than failing the whole page.
"""

import logging
import time

import httpx
from django.conf import settings
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiYamlRenderer
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

logger = logging.getLogger(__name__)

# The services with public APIs. recommendations (FastAPI) writes OpenAPI 3.1 and
# reports (APIFlask) 3.0.3; their paths and components read the same in this 3.0
# document's Swagger UI.
SCHEMA_SOURCES = ["catalog", "orders", "storefront", "recommendations", "reports"]
CACHE_SECONDS = 30
_cache: dict[str, tuple[float, dict]] = {}


def merged_schema() -> dict:
    """The gateway's own schema with every answering service's paths and parts."""
    cached = _cache.get("schema")
    if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    schema = SchemaGenerator().get_schema(request=None, public=True)
    missing = []
    for service in SCHEMA_SOURCES:
        url = f"{settings.SERVICE_URLS[service]}/api/schema/"
        try:
            response = httpx.get(url, params={"format": "json"}, timeout=2)
            response.raise_for_status()
        except httpx.HTTPError as exc:
            logger.warning("schema of %s left out: %r", service, exc)
            missing.append(service)
            continue
        part = response.json()
        schema["paths"].update(part.get("paths", {}))
        for kind, items in part.get("components", {}).items():
            schema.setdefault("components", {}).setdefault(kind, {}).update(items)
    if missing:
        schema["info"]["description"] += (
            f"\n\nNot answering, so left out for now: {', '.join(missing)}."
        )
    else:  # only a complete schema is worth keeping
        _cache["schema"] = (time.monotonic(), schema)
    return schema


class MergedSchemaApi(APIView):
    """The OpenAPI 3 schema of the whole shop API (``?format=json`` for JSON)."""

    permission_classes = [AllowAny]
    authentication_classes = []
    renderer_classes = [OpenApiYamlRenderer, JSONRenderer]

    @extend_schema(exclude=True)  # the schema does not describe itself
    def get(self, request):
        return Response(merged_schema())
