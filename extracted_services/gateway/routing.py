"""Which service answers which path: the whole services stack, at a glance.

The gateway answers its own paths (users and tokens, the API schema, its admin, its
health) through urls.py; everything else is forwarded by ``upstream_for``.
"""

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


def upstream_for(path: str) -> str:
    """The name of the service that answers ``path`` (a key of SERVICE_URLS)."""
    for prefix, upstream in ROUTES:
        if path.startswith(prefix):
            return upstream
    raise AssertionError("the catch-all route matches every path")
