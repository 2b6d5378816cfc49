"""Template context for every page's footer: which side answered, and the request id.

Copied on purpose to the services' chassis (chassis/context_processors.py);
tests/test_copies.py keeps the two identical.
"""

from django.conf import settings


def served_by(request):
    return {
        "served_by": settings.SERVED_BY,
        "request_id": getattr(request, "request_id", ""),
    }
