"""The recommendations API: the same contract as the FastAPI service's."""

from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .model import CO_PURCHASE, POPULAR
from .selectors import recommendation_list

MAX_LIMIT = 20
DEFAULT_LIMIT = 4


@extend_schema_serializer(component_name="RecommendationModel")
class ModelOutputSerializer(serializers.Serializer):
    """Which model answered: its version, when it was trained, on how many orders."""

    version = serializers.CharField(allow_null=True)
    trained_at = serializers.DateTimeField(allow_null=True)
    orders_seen = serializers.IntegerField()


@extend_schema_serializer(component_name="RecommendedProduct")
class ProductOutputSerializer(serializers.Serializer):
    product_id = serializers.IntegerField()
    score = serializers.FloatField()


class RecommendationListApi(APIView):
    """Products bought together with ``product_id`` in paid orders, best first.

    A product with no co-purchase history gets the documented fallback, ``popular``:
    the best sellers among paid orders, never the product itself. Public.
    """

    # Public: no token is needed or checked (and the schema says so).
    permission_classes: list = []
    authentication_classes: list = []

    class InputSerializer(serializers.Serializer):
        product_id = serializers.IntegerField(min_value=1)
        limit = serializers.IntegerField(
            min_value=1, max_value=MAX_LIMIT, default=DEFAULT_LIMIT
        )

    @extend_schema_serializer(component_name="RecommendationList")
    class OutputSerializer(serializers.Serializer):
        product_id = serializers.IntegerField()
        strategy = serializers.ChoiceField(choices=[CO_PURCHASE, POPULAR])
        model = ModelOutputSerializer()
        results = ProductOutputSerializer(many=True)

    @extend_schema(
        parameters=[InputSerializer],
        responses={
            200: OutputSerializer,
            400: OpenApiResponse(description="Problem: a missing or bad parameter."),
        },
    )
    def get(self, request):
        query = self.InputSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        model, strategy, results = recommendation_list(**query.validated_data)
        answer = {
            "product_id": query.validated_data["product_id"],
            "strategy": strategy,
            "model": {
                "version": model.version,
                "trained_at": model.trained_at,
                "orders_seen": model.orders_seen,
            },
            "results": [{"product_id": p, "score": s} for p, s in results],
        }
        return Response(self.OutputSerializer(answer).data)
