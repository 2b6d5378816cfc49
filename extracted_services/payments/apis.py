"""Staff-only API: browse payments (the public API has none; orders show theirs)."""

from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from extracted_services.chassis.pagination import (
    PageNumberPagination,
    paginated_response,
)

from .models import Payment

# Error responses for the schema; every error body is application/problem+json.
STAFF_ONLY = {
    401: OpenApiResponse(description="Problem: missing or invalid credentials."),
    403: OpenApiResponse(description="Problem: not a staff user."),
}
NOT_FOUND = OpenApiResponse(description="Problem: no such payment.")


class IsStaff(BasePermission):
    """Staff only: 401 without a token, 403 with a customer's."""

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_staff)


@extend_schema_serializer(component_name="Payment")
class PaymentOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = [
            "id",
            "order_id",
            "amount",
            "currency",
            "status",
            "card_last4",
            "failure_reason",
            "created_at",
        ]


class PaymentListApi(APIView):
    permission_classes = [IsStaff]
    # Named so that drf-spectacular documents the page, not a bare list.
    pagination_class = PageNumberPagination

    @extend_schema(responses={200: PaymentOutputSerializer(many=True), **STAFF_ONLY})
    def get(self, request):
        """A page of payments, newest first."""
        return paginated_response(
            queryset=Payment.objects.all(),
            serializer_class=PaymentOutputSerializer,
            request=request,
            view=self,
        )


class PaymentDetailApi(APIView):
    permission_classes = [IsStaff]

    @extend_schema(
        responses={200: PaymentOutputSerializer, **STAFF_ONLY, 404: NOT_FOUND}
    )
    def get(self, request, payment_id: int):
        """One payment (Payment.DoesNotExist becomes a 404 problem)."""
        return Response(
            PaymentOutputSerializer(Payment.objects.get(pk=payment_id)).data
        )
