"""The orders API (CONTRACT.md, "Orders"): place an order, list yours, read one.

The same operations, serializers and problems as ``monolith/orders/apis.py``. What
differs: the user is the token's (users live in the gateway), a new order answers
``pending`` (payments decides a moment later), and a catalog that cannot be reached
is a 503 ``service-unavailable`` problem with Retry-After.
"""

from http import HTTPStatus

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import (
    sensitive_post_parameters,
    sensitive_variables,
)
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from extracted_services.chassis.pagination import PageNumberPagination
from extracted_services.chassis.parsers import JSONParser
from extracted_services.chassis.problems import ProblemError

from .cards import luhn_valid, normalize
from .clients.catalog import OutOfStock, UnknownProducts
from .models import Order
from .selectors import order_get, order_list
from .services import (
    EMPTY_ORDER,
    INVALID_CARD_NUMBER,
    MAX_LINES,
    MAX_QUANTITY,
    TOO_MANY_LINES,
    IdempotencyKeyReused,
    KeyStillInUse,
    OrderPlacement,
    order_place,
)

MAX_ID = 2**63 - 1  # a 64-bit primary key; a bigger number would be a 500, not a 400
IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY_MAX_LENGTH = 255
IDEMPOTENCY_KEY_INVALID = (
    f"Send 1 to {IDEMPOTENCY_KEY_MAX_LENGTH} characters, for example a UUID."
)

# Error responses for the schema; every error body is application/problem+json.
INVALID_FIELDS = OpenApiResponse(description="Validation problem: `errors` per field.")
UNAUTHORIZED = OpenApiResponse(description="Problem: missing or invalid credentials.")
NOT_FOUND = OpenApiResponse(description="Problem: no such order among yours.")


class OutOfStockProblem(ProblemError):
    status_code = HTTPStatus.CONFLICT
    slug = "out-of-stock"
    title = "Out of stock"


class IdempotencyKeyReusedProblem(ProblemError):
    status_code = HTTPStatus.UNPROCESSABLE_ENTITY
    slug = "idempotency-key-reused"
    title = "Idempotency-Key reused"


class KeyStillInUseProblem(ProblemError):
    status_code = HTTPStatus.CONFLICT
    slug = "idempotency-key-in-use"
    title = "Idempotency-Key in use"


KEY_STILL_IN_USE = "A request with this Idempotency-Key is still being placed; retry."


@extend_schema_serializer(component_name="Order")
class OrderOutputSerializer(serializers.Serializer):
    """The contract's order, the answer of every order operation."""

    @extend_schema_serializer(component_name="OrderItem")
    class ItemSerializer(serializers.Serializer):
        product_id = serializers.IntegerField()
        name = serializers.CharField()
        unit_price = serializers.DecimalField(max_digits=10, decimal_places=2)
        quantity = serializers.IntegerField()
        line_total = serializers.DecimalField(max_digits=12, decimal_places=2)

    @extend_schema_serializer(component_name="OrderShipping")
    class ShippingSerializer(serializers.Serializer):
        name = serializers.CharField(source="shipping_name")
        address = serializers.CharField(source="shipping_address")

    @extend_schema_serializer(component_name="OrderPayment")
    class PaymentSerializer(serializers.Serializer):
        status = serializers.CharField()
        card_last4 = serializers.CharField()
        failure_reason = serializers.CharField()

    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Order.Status.choices)
    items = ItemSerializer(source="lines", many=True)
    total = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()
    # source="*": the nested object is built from fields of the order itself.
    shipping = ShippingSerializer(source="*")
    # null until payments has answered (Order.payment is None until then).
    payment = PaymentSerializer(allow_null=True)
    created_at = serializers.DateTimeField()


# A user's orders are theirs alone: no shared cache, no copy kept on disk.
@method_decorator(never_cache, name="dispatch")
class OrderApi(APIView):
    permission_classes = [IsAuthenticated]  # 401 problem without credentials


class OrderListApi(OrderApi):
    pagination_class = PageNumberPagination

    @extend_schema(
        responses={
            HTTPStatus.OK: OrderOutputSerializer(many=True),
            HTTPStatus.UNAUTHORIZED: UNAUTHORIZED,
        }
    )
    def get(self, request):
        """A page of your orders, newest first."""
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(
            order_list(user_id=request.user.id), request, view=self
        )
        data = OrderOutputSerializer(page, many=True).data
        return paginator.get_paginated_response(data)


# Django's error reports (DEBUG's page, the admins' email) never show the card number:
# not as a POST parameter, not as a local variable of a frame.
@method_decorator(sensitive_post_parameters("card_number"), name="dispatch")
class OrderCreateApi(OrderApi):
    # JSON only: nested items and shipping have no form-encoded shape.
    parser_classes = [JSONParser]

    @extend_schema_serializer(component_name="OrderCreateInput")
    class InputSerializer(serializers.Serializer):
        @extend_schema_serializer(component_name="OrderCreateItem")
        class ItemSerializer(serializers.Serializer):
            product_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
            quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)

        @extend_schema_serializer(component_name="OrderCreateShipping")
        class ShippingSerializer(serializers.Serializer):
            name = serializers.CharField(max_length=200)
            address = serializers.CharField(max_length=1000)

        items = ItemSerializer(many=True, help_text=f"1 to {MAX_LINES} lines.")
        card_number = serializers.CharField(
            max_length=40, help_text="Spaces and dashes between digits are fine."
        )
        shipping = ShippingSerializer()

        def validate_items(self, items: list[dict]) -> list[dict]:
            # Here rather than as ListSerializer options, so the message sits on
            # "items" itself and not on "items.non_field_errors".
            if not items:
                raise serializers.ValidationError(EMPTY_ORDER)
            if len(items) > MAX_LINES:
                raise serializers.ValidationError(TOO_MANY_LINES)
            return items

        def validate_card_number(self, value: str) -> str:
            if not luhn_valid(value):
                raise serializers.ValidationError(INVALID_CARD_NUMBER)
            return normalize(value)

    @extend_schema(
        request=InputSerializer,
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_KEY_HEADER,
                location=OpenApiParameter.HEADER,
                required=False,
                description=(
                    "Any unique string (a UUID) of at most 255 characters. Sending "
                    "the same key with the same body again returns the same order "
                    "(200) instead of placing a second one."
                ),
            )
        ],
        responses={
            HTTPStatus.CREATED: OrderOutputSerializer,
            HTTPStatus.OK: OpenApiResponse(
                OrderOutputSerializer, description="A replay: the order made before."
            ),
            HTTPStatus.BAD_REQUEST: INVALID_FIELDS,
            HTTPStatus.UNAUTHORIZED: UNAUTHORIZED,
            HTTPStatus.CONFLICT: OpenApiResponse(
                description="Problem `out-of-stock`: `product_id` names the product. "
                "Or `idempotency-key-in-use`: the first request with this key is "
                "still being placed; retry after `Retry-After` seconds."
            ),
            HTTPStatus.UNPROCESSABLE_ENTITY: OpenApiResponse(
                description="Problem `idempotency-key-reused`: a different body."
            ),
            HTTPStatus.SERVICE_UNAVAILABLE: OpenApiResponse(
                description="Problem `service-unavailable`: catalog is not answering; "
                "nothing was recorded. Retry after `Retry-After` seconds."
            ),
        },
    )
    @method_decorator(sensitive_variables("serializer"))
    def post(self, request):
        """Place an order: reserve stock now; the card is charged a moment later.

        The answer says ``pending``; poll the order until it is ``paid`` or
        ``failed`` (usually well under a second).
        """
        idempotency_key = _idempotency_key(request)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        placement = _order_place(
            request.user, serializer.validated_data, idempotency_key
        )
        if not placement.created:
            # A replay: the first order as it is now, read the way GET reads it.
            order = order_get(user_id=request.user.id, order_id=placement.order.pk)
            return Response(OrderOutputSerializer(order).data, status=HTTPStatus.OK)
        # The order as this request recorded it: `pending`. Not read back: orders
        # sends the charge right after its commit, so a quick payments worker may
        # have paid it already, and the answer would skip the step the client must
        # learn to take (poll until paid or failed). Its lines cost one query.
        order = placement.order
        data = OrderOutputSerializer(order).data
        location = reverse("orders-api:order-detail", kwargs={"order_id": order.pk})
        return Response(data, status=HTTPStatus.CREATED, headers={"Location": location})


class OrderDetailApi(OrderApi):
    @extend_schema(
        responses={
            HTTPStatus.OK: OrderOutputSerializer,
            HTTPStatus.UNAUTHORIZED: UNAUTHORIZED,
            HTTPStatus.NOT_FOUND: NOT_FOUND,
        }
    )
    def get(self, request, order_id: int):
        """One of your orders; clients poll it until the status is final.

        Someone else's order is a 404, not a 403: its existence is not ours to tell.
        """
        # Order.DoesNotExist becomes a 404 problem in core.problems.
        order = order_get(user_id=request.user.id, order_id=order_id)
        return Response(OrderOutputSerializer(order).data)


class OrderCollectionApi(OrderListApi, OrderCreateApi):
    """/api/orders/: GET lists, POST places."""


@sensitive_variables("data")
def _order_place(user, data: dict, idempotency_key: str | None) -> OrderPlacement:
    """Call the service; turn what it raises into the contract's problems.

    ServiceUnavailable (catalog is down) needs nothing here: it is a problem already.
    """
    try:
        return order_place(
            user_id=user.id,
            username=user.username,
            items=[(item["product_id"], item["quantity"]) for item in data["items"]],
            card_number=data["card_number"],
            shipping_name=data["shipping"]["name"],
            shipping_address=data["shipping"]["address"],
            idempotency_key=idempotency_key,
        )
    except UnknownProducts as exc:
        raise serializers.ValidationError({"items": [str(exc)]}) from exc
    except OutOfStock as exc:
        raise OutOfStockProblem(str(exc), extra={"product_id": exc.product_id}) from exc
    except IdempotencyKeyReused as exc:
        raise IdempotencyKeyReusedProblem(str(exc)) from exc
    except KeyStillInUse as exc:
        raise KeyStillInUseProblem(
            KEY_STILL_IN_USE, headers={"Retry-After": "1"}
        ) from exc
    except DjangoValidationError as exc:
        raise serializers.ValidationError(serializers.as_serializer_error(exc)) from exc


def _idempotency_key(request) -> str | None:
    key = request.headers.get(IDEMPOTENCY_KEY_HEADER)
    if key is not None and not 1 <= len(key) <= IDEMPOTENCY_KEY_MAX_LENGTH:
        raise serializers.ValidationError(
            {IDEMPOTENCY_KEY_HEADER: [IDEMPOTENCY_KEY_INVALID]}
        )
    return key
