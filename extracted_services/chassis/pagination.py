"""Page-number pagination with a client-chosen page size (at most 100)."""

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100


def paginated_response(*, queryset, serializer_class, request, view):
    """One page of ``queryset`` as ``{count, next, previous, results}``.

    The HackSoft Styleguide's helper: APIViews paginate explicitly instead of
    inheriting a generic view's hidden machinery.
    """
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(queryset, request, view=view)
    serializer = serializer_class(page, many=True, context={"request": request})
    return paginator.get_paginated_response(serializer.data)
