"""What only other services may call: reserve stock for an order, and release it.

In the monolith these were function calls inside the order's transaction; here they
are requests from the orders service, signed with its own key (``X-Service-Token``)
and safe to send again. No other service may call them, even with a valid token;
the gateway does not route /internal/: users never see it.
"""

from http import HTTPStatus
from uuid import UUID

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from extracted_services.chassis.auth import SERVICE_TOKEN_HEADER, IsInternalService
from extracted_services.chassis.problems import ProblemError

from ..services import (
    OutOfStock,
    ReservationReleased,
    UnknownProducts,
    stock_release_for_order,
    stock_reserve_for_order,
)
from ..services.stock import reservation_categories_add

# Bounds that keep bad input a 400, not business rules: orders checks its own
# (20 lines, 1..99 each) before it calls, and sends one line per product.
MAX_ITEMS = 100
MAX_QUANTITY = 2_147_483_647  # PostgreSQL's integer, like a product's stock
MAX_ID = 2**63 - 1  # a 64-bit primary key

INVALID = OpenApiResponse(description="Validation problem: `errors.items` names it.")
NO_TOKEN = OpenApiResponse(description="Problem: no X-Service-Token was sent.")
BAD_TOKEN = OpenApiResponse(
    description="Problem: the service token is not valid, or not from orders."
)
NOT_A_REFERENCE = OpenApiResponse(
    description="Problem: the reference in the path is not a UUID (no such URL)."
)
OUT_OF_STOCK = OpenApiResponse(
    description="Problem `out-of-stock`, with the `product_id` short of stock."
)


RELEASED = OpenApiResponse(
    description="Problem `reservation-released`: orders gave this order up first."
)


class ReservationReleasedProblem(ProblemError):
    status_code = HTTPStatus.GONE
    slug = "reservation-released"
    title = "Reservation released"


class OutOfStockProblem(ProblemError):
    status_code = HTTPStatus.CONFLICT
    slug = "out-of-stock"
    title = "Out of stock"


class InternalApi(APIView):
    """No user here: the caller is a service, and proves it with a signed token."""

    authentication_classes = []
    permission_classes = [IsInternalService]
    allowed_callers = ("orders",)  # only the saga's owner reserves and releases stock

    def get_authenticate_header(self, request) -> str:
        # Without an authenticator DRF turns "no credentials" into a 403; naming
        # the header to send keeps a missing token a 401, as for users.
        return f'{SERVICE_TOKEN_HEADER} realm="shop-internal"'


class ReservationOutputSerializer(serializers.Serializer):
    class LineSerializer(serializers.Serializer):
        product_id = serializers.IntegerField()
        name = serializers.CharField()
        category = serializers.CharField(help_text="The product's category slug.")
        price = serializers.DecimalField(max_digits=10, decimal_places=2)
        quantity = serializers.IntegerField()

    order_ref = serializers.UUIDField()
    items = LineSerializer(source="lines.all", many=True)


class ReservationCreateApi(InternalApi):
    class InputSerializer(serializers.Serializer):
        class ItemSerializer(serializers.Serializer):
            product_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
            quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)

        order_ref = serializers.UUIDField()
        items: "serializers.ListSerializer[list[dict]]" = serializers.ListSerializer(
            child=ItemSerializer(), allow_empty=False, max_length=MAX_ITEMS
        )

    @extend_schema(
        request=InputSerializer,
        responses={
            200: ReservationOutputSerializer,
            201: ReservationOutputSerializer,
            400: INVALID,
            401: NO_TOKEN,
            403: BAD_TOKEN,
            409: OUT_OF_STOCK,
            410: RELEASED,
        },
    )
    def post(self, request):
        """Reserve stock for an order: 201, or 200 and the same body when repeated."""
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        quantities: dict[int, int] = {}
        for item in serializer.validated_data["items"]:  # one line per product
            product_id = item["product_id"]
            quantities[product_id] = quantities.get(product_id, 0) + item["quantity"]
        try:
            reservation, created = stock_reserve_for_order(
                order_ref=serializer.validated_data["order_ref"],
                quantities=quantities,
            )
        except UnknownProducts as exc:
            raise serializers.ValidationError({"items": [str(exc)]}) from exc
        except OutOfStock as exc:
            extra = {"product_id": exc.product.pk}
            raise OutOfStockProblem(str(exc), extra=extra) from exc
        except ReservationReleased as exc:
            raise ReservationReleasedProblem(str(exc)) from exc
        status = HTTPStatus.CREATED if created else HTTPStatus.OK
        reservation = reservation_categories_add(reservation=reservation)
        return Response(ReservationOutputSerializer(reservation).data, status=status)


class ReservationReleaseApi(InternalApi):
    @extend_schema(
        responses={204: None, 401: NO_TOKEN, 403: BAD_TOKEN, 404: NOT_A_REFERENCE}
    )
    def delete(self, request, order_ref: UUID):
        """Give an order's stock back: 204 every time, only the first call counts."""
        stock_release_for_order(order_ref=order_ref)
        return Response(status=HTTPStatus.NO_CONTENT)
