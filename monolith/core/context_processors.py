"""Template context for every page's footer: which side answered, the request id
and the trace id.

Copied on purpose to the services' chassis (chassis/context_processors.py);
tests/test_copies.py keeps the two identical.
"""

from django.conf import settings

from .tracing import current_trace_id


def served_by(request):
    return {
        "served_by": settings.SERVED_BY,
        "request_id": getattr(request, "request_id", ""),
        "trace_id": current_trace_id(),  # "" when tracing is off
    }
