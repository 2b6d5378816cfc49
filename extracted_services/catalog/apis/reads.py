"""The catalog's public reads: categories, pages and batches of products, a product.

The monolith's, with one change: each answer is kept in Redis (``selectors.cached``)
until the catalog next changes.
"""

import hashlib
import re

from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from extracted_services.chassis.auth import IsStaffOrReadOnly
from extracted_services.chassis.pagination import PageNumberPagination

from ..models import Category, Product
from ..selectors import cached, category_list, product_get, product_list

MAX_BATCH_IDS = 100
IDS_NOT_INTEGERS = "Give product ids as whole numbers separated by commas: ids=1,2,3."
IDS_TOO_MANY = f"Give at most {MAX_BATCH_IDS} product ids per request."
PRODUCT_NOT_FOUND = "No product has this id."
_ID = re.compile(r"[0-9]{1,18}")  # 18 digits always fit a 64-bit primary key

# The schema's "security": no credentials needed. A list of OpenAPI security
# requirements, which drf-spectacular's code takes for `auth` and its type hint, a
# list of names, does not describe: hence the `type: ignore[arg-type]` at each use.
PUBLIC: list[dict[str, list[str]]] = [{}]
# Error answers for the schema; each body is application/problem+json.
INVALID = OpenApiResponse(description="Validation problem: `errors` per field.")
NOT_FOUND = OpenApiResponse(description="Problem: no product has this id.")


class CatalogApi(APIView):
    permission_classes = [IsStaffOrReadOnly]  # writes: 401 anonymous, 403 not staff


class ProductPagination(PageNumberPagination):
    """Pages of products; a batch of ``ids`` comes back whole, on one page."""

    def get_page_size(self, request) -> int | None:
        if "ids" in request.query_params and (
            self.page_size_query_param not in request.query_params
        ):
            return self.max_page_size
        return super().get_page_size(request)


@extend_schema_serializer(component_name="Product")
class ProductOutputSerializer(serializers.ModelSerializer):
    """The contract's product: what every product operation answers with."""

    category: "serializers.SlugRelatedField[Category]" = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = Product
        fields = ["id", "sku", "name", "description", "category", "price", "stock"]


def get_product_or_404(product_id: int) -> Product:
    try:
        return product_get(product_id=product_id)
    except Product.DoesNotExist as exc:
        raise NotFound(PRODUCT_NOT_FOUND) from exc


class CategoryListApi(CatalogApi):
    @extend_schema_serializer(component_name="Category")
    class OutputSerializer(serializers.ModelSerializer):
        class Meta:
            model = Category
            fields = ["slug", "name"]

    @extend_schema(auth=PUBLIC, responses=OutputSerializer(many=True))  # type: ignore[arg-type]
    def get(self, request):
        """Every category, by name: a plain list, short enough not to paginate."""
        data = cached(
            "categories",
            lambda: self.OutputSerializer(category_list(), many=True).data,
        )
        return Response(data)


class ProductListApi(CatalogApi):
    pagination_class = ProductPagination

    @extend_schema_serializer(component_name="ProductFilters")
    class FilterSerializer(serializers.Serializer):
        category = serializers.CharField(
            required=False, allow_blank=True, max_length=60, help_text="A slug."
        )
        search = serializers.CharField(
            required=False,
            allow_blank=True,
            max_length=200,
            help_text="Words, in any order, each the start of a word in the name "
            "or description; case does not count, accents do; punctuation only "
            "separates words. No words: no filter.",
        )
        ids = serializers.CharField(
            required=False,
            allow_blank=True,
            help_text=f"A batch: up to {MAX_BATCH_IDS} comma-separated ids, 1,2,3.",
        )

        def validate_ids(self, value: str) -> list[int]:
            parts = [part.strip() for part in value.split(",") if part.strip()]
            if len(parts) > MAX_BATCH_IDS:
                raise serializers.ValidationError(IDS_TOO_MANY)
            if not all(_ID.fullmatch(part) for part in parts):
                raise serializers.ValidationError(IDS_NOT_INTEGERS)
            return sorted({int(part) for part in parts})

    @extend_schema(
        auth=PUBLIC,  # type: ignore[arg-type]
        parameters=[FilterSerializer],
        responses={
            200: ProductOutputSerializer(many=True),
            400: INVALID,
            404: OpenApiResponse(description="Problem: no such page."),
        },
    )
    def get(self, request):
        """A page of products, by name.

        An unknown category slug is an empty page rather than an error: filters
        narrow a list, and a filter that matches nothing gives an empty list,
        the same as a search with no hits.
        """
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)

        def page() -> dict:
            paginator = self.pagination_class()
            products = paginator.paginate_queryset(
                product_list(**filters.validated_data), request, view=self
            )
            data = ProductOutputSerializer(products, many=True).data
            return paginator.get_paginated_response(data).data

        # The whole URL is the key: the query selects the page, and the page's
        # next/previous links name the scheme and host it was asked for.
        url = request.build_absolute_uri()
        key = f"products:{hashlib.sha256(url.encode()).hexdigest()}"
        return Response(cached(key, page))


class ProductDetailApi(CatalogApi):
    @extend_schema(
        auth=PUBLIC,  # type: ignore[arg-type]
        responses={200: ProductOutputSerializer, 404: NOT_FOUND},
    )
    def get(self, request, product_id: int):
        """One product."""
        data = cached(
            f"product:{product_id}",
            lambda: ProductOutputSerializer(get_product_or_404(product_id)).data,
        )
        return Response(data)
