"""The catalog's staff writes: create, change and delete products."""

from decimal import Decimal
from http import HTTPStatus

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import serializers
from rest_framework.response import Response

from extracted_services.chassis.problems import ProblemError

from ..models import Category
from ..services import ProductInUse, product_create, product_delete, product_update
from .reads import (
    INVALID,
    NOT_FOUND,
    CatalogApi,
    ProductOutputSerializer,
    get_product_or_404,
)

MAX_STOCK = 2_147_483_647  # PostgreSQL's integer: beyond it would be a 500, not a 400

# Error answers for the schema; each body is application/problem+json.
UNAUTHORIZED = OpenApiResponse(description="Problem: missing or invalid credentials.")
FORBIDDEN = OpenApiResponse(description="Problem: only staff may change the catalog.")
IN_USE = OpenApiResponse(description="Problem `product-in-use`: it has been ordered.")
DENIED = {401: UNAUTHORIZED, 403: FORBIDDEN}


class ProductInUseProblem(ProblemError):
    status_code = HTTPStatus.CONFLICT
    slug = "product-in-use"
    title = "Product in use"


@extend_schema_serializer(component_name="ProductInput")
class ProductInputSerializer(serializers.Serializer):
    """What staff send to create a product (POST) or change some of it (PATCH)."""

    sku = serializers.CharField(max_length=32)
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    category = serializers.SlugRelatedField(
        slug_field="slug", queryset=Category.objects.all()
    )
    price = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=Decimal("0.00")
    )
    stock = serializers.IntegerField(required=False, min_value=0, max_value=MAX_STOCK)


def field_errors(exc: DjangoValidationError) -> serializers.ValidationError:
    """A model's ValidationError (raised by a service) as DRF's 400, per field."""
    return serializers.ValidationError(serializers.as_serializer_error(exc))


class ProductCreateApi(CatalogApi):
    @extend_schema(
        request=ProductInputSerializer,
        responses={201: ProductOutputSerializer, 400: INVALID, **DENIED},
    )
    def post(self, request):
        """Add a product (staff only). A taken SKU is a 400 naming ``sku``."""
        serializer = ProductInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            product = product_create(**serializer.validated_data)
        except DjangoValidationError as exc:
            raise field_errors(exc) from exc
        data = ProductOutputSerializer(product).data
        return Response(data, status=HTTPStatus.CREATED)


class ProductUpdateApi(CatalogApi):
    @extend_schema(
        request=ProductInputSerializer,
        responses={
            200: ProductOutputSerializer,
            400: INVALID,
            **DENIED,
            404: NOT_FOUND,
        },
    )
    def patch(self, request, product_id: int):
        """Change some fields of a product (staff only)."""
        product = get_product_or_404(product_id)
        # partial: only the fields sent are validated, and only they change.
        serializer = ProductInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        try:
            product = product_update(product=product, **serializer.validated_data)
        except DjangoValidationError as exc:
            raise field_errors(exc) from exc
        return Response(ProductOutputSerializer(product).data)


class ProductDeleteApi(CatalogApi):
    @extend_schema(responses={204: None, **DENIED, 404: NOT_FOUND, 409: IN_USE})
    def delete(self, request, product_id: int):
        """Delete a product (staff only); one that has been ordered is a 409."""
        product = get_product_or_404(product_id)
        try:
            product_delete(product=product)
        except ProductInUse as exc:
            extra = {"product_id": product.pk}
            raise ProductInUseProblem(str(exc), extra=extra) from exc
        return Response(status=HTTPStatus.NO_CONTENT)
