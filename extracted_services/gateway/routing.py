"""Which service answers which path: the whole services stack, at a glance.

The gateway answers its own paths (users and tokens, the API schema, its admin, its
health) through urls.py; everything else is forwarded by ``upstream_for``, once
``is_forwardable`` has said that the path cannot walk out of its prefix.
"""

from urllib.parse import unquote

# First match wins; order from the most specific prefix to the catch-all.
ROUTES = [
    ("/api/products", "catalog"),
    ("/api/categories", "catalog"),
    ("/api/orders", "orders"),
    ("/api/recommendations", "recommendations"),
    ("/api/reports/", "reports"),
    ("/reports/", "reports"),  # the report page (Flask), with its own sign-in
    ("/api/echo", "storefront"),
    ("/", "storefront"),  # every page, /static/, anything else
]


# Paths only the processes themselves may serve: never forwarded, whatever the prefix.
INTERNAL_PREFIXES = ("/internal/", "/metrics", "/healthz", "/readyz", "/admin/")
DECODING_ROUNDS = 3  # %252e%252e is ".." decoded twice; one more round to be sure


def is_forwardable(path: str) -> bool:
    """False for a path with a dot segment, however encoded, or an internal one.

    ``/api/products/../../internal/schema/`` starts with a catalog prefix, yet the
    HTTP client (and the service) would resolve it to catalog's ``/internal/``. So a
    segment that is "." or ".." after decoding, or with backslashes read as slashes
    (as some servers do), is refused before routing rather than cleaned up.
    """
    readings = [path]
    for _ in range(DECODING_ROUNDS):
        readings.append(unquote(readings[-1]))
    for reading in readings:
        segments = reading.replace("\\", "/").split("/")
        if any(segment in (".", "..") for segment in segments):
            return False
    return not readings[-1].startswith(INTERNAL_PREFIXES)


def upstream_for(path: str) -> str:
    """The name of the service that answers ``path`` (a key of SERVICE_URLS)."""
    for prefix, upstream in ROUTES:
        if path.startswith(prefix):
            return upstream
    raise AssertionError("the catch-all route matches every path")
