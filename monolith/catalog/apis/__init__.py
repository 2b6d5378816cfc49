"""The catalog's API (CONTRACT.md, "Catalog"): public reads, staff-only writes.

One class per operation, in ``reads.py`` and ``writes.py`` (like selectors and
services). The contract serves several operations from one URL (GET and POST
/api/products/) while Django maps a URL to one view, so the two classes below
only combine operations; api_urls.py mounts them.
"""

from .reads import CategoryListApi, ProductDetailApi, ProductListApi
from .writes import ProductCreateApi, ProductDeleteApi, ProductUpdateApi

__all__ = ["CategoryListApi", "ProductCollectionApi", "ProductItemApi"]


class ProductCollectionApi(ProductListApi, ProductCreateApi):
    """/api/products/: GET lists, POST creates."""


class ProductItemApi(ProductDetailApi, ProductUpdateApi, ProductDeleteApi):
    """/api/products/<id>/: GET reads, PATCH changes, DELETE deletes."""
