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


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100


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
