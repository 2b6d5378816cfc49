"""The catalog's API: public reads, staff-only writes, and the internal API.

One class per operation, in ``reads.py`` and ``writes.py`` (like selectors and
services), and ``internal.py`` for what only other services may call. The contract
serves several operations from one URL (GET and POST /api/products/) while Django
maps a URL to one view, so the two classes below only combine operations.
"""

from .internal import ReservationCreateApi, ReservationReleaseApi
from .reads import CategoryListApi, ProductDetailApi, ProductListApi
from .writes import ProductCreateApi, ProductDeleteApi, ProductUpdateApi

__all__ = [
    "CategoryListApi",
    "ProductCollectionApi",
    "ProductItemApi",
    "ReservationCreateApi",
    "ReservationReleaseApi",
]


class ProductCollectionApi(ProductListApi, ProductCreateApi):
    """/api/products/: GET lists, POST creates."""


class ProductItemApi(ProductDetailApi, ProductUpdateApi, ProductDeleteApi):
    """/api/products/<id>/: GET reads, PATCH changes, DELETE deletes."""
