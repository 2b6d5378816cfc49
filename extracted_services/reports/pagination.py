"""DRF's page-number pagination, in Flask: ``{count, next, previous, results}``.

The same rules as the Django services' ``PageNumberPagination``: ``?page=`` (a page
that does not exist is a 404), ``?page_size=`` (at most 100; anything that is not a
positive number means the default), and absolute ``next``/``previous`` links.
"""

from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from apiflask import abort
from flask import request
from sqlalchemy import Select

from .selectors import row_count, sales_rows

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
INVALID_PAGE = "Invalid page."


@dataclass(frozen=True)
class Page:
    count: int
    next: str | None
    previous: str | None
    results: list[dict[str, Any]]


def paginate(statement: Select) -> Page:
    """One page of the query's rows, as the request's ?page= and ?page_size= ask."""
    size = _page_size(request.args.get("page_size"))
    count = row_count(statement)
    last = max(1, -(-count // size))  # ceiling division; an empty result has page 1
    number = _page_number(request.args.get("page") or "1", last=last)  # ?page= too
    rows = sales_rows(statement.limit(size).offset((number - 1) * size))
    return Page(
        count=count,
        next=_link(number + 1) if number < last else None,
        previous=_link(number - 1) if number > 1 else None,
        results=[row.as_dict() for row in rows],
    )


def _page_size(raw: str | None) -> int:
    if raw and raw.isdigit() and int(raw) > 0:
        return min(int(raw), MAX_PAGE_SIZE)
    return PAGE_SIZE


def _page_number(raw: str, *, last: int) -> int:
    number = last if raw == "last" else int(raw) if raw.isdigit() else 0
    if not 1 <= number <= last:
        abort(HTTPStatus.NOT_FOUND, INVALID_PAGE)
    return number


def _link(number: int) -> str:
    """This request's absolute URL with another page (DRF: page 1 has no ?page=)."""
    scheme, netloc, path, query, _fragment = urlsplit(request.url)
    params = dict(parse_qsl(query, keep_blank_values=True))
    params.pop("page", None)
    if number > 1:
        params["page"] = str(number)
    return urlunsplit((scheme, netloc, path, urlencode(sorted(params.items())), ""))
