"""Page-number pagination with a client-chosen page size (at most 100).

Copied on purpose from monolith/core/pagination.py; tests/test_copies.py keeps the two
identical.
"""

from typing import Any

from django.db.models import QuerySet
from rest_framework import pagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

# What a page past the last one (or ?page=0) answers: DRF's 404, as a problem.
NO_SUCH_PAGE = "Problem: no such page."


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100


def document_missing_pages(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: every paginated list documents its 404.

    DRF answers a page that does not exist with a 404, and drf-spectacular documents
    the page's parameters but not that answer; the schema must not hide it.
    """
    for path in result.get("paths", {}).values():
        for operation in path.values():
            parameters = operation.get("parameters", [])
            if any(p["in"] == "query" and p["name"] == "page" for p in parameters):
                operation["responses"].setdefault("404", {"description": NO_SUCH_PAGE})
    return result


def paginated_response(
    *,
    queryset: QuerySet[Any],
    serializer_class: type[BaseSerializer[Any]],
    request: Request,
    view: APIView,
) -> Response:
    """One page of ``queryset`` as ``{count, next, previous, results}``.

    The HackSoft Styleguide's helper: APIViews paginate explicitly instead of
    inheriting a generic view's hidden machinery.
    """
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(queryset, request, view=view)
    serializer = serializer_class(page, many=True, context={"request": request})
    return paginator.get_paginated_response(serializer.data)
