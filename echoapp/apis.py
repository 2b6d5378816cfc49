"""The echo lab's API: list the submissions and create one."""

from http import HTTPStatus

from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from monolith.core.pagination import PageNumberPagination

from .selectors import submission_list
from .services import submission_create


@extend_schema_field(
    {"oneOf": [{"type": "integer"}, {"type": "string", "pattern": "^[0-9a-f]{24}$"}]}
)
class SubmissionIdField(serializers.Field):
    """An integer on SQL databases; on MongoDB, the ObjectId as 24 hex digits."""

    def to_representation(self, value):
        return value if isinstance(value, int) else str(value)


class SubmissionListCreateApi(APIView):
    # An APIView has no pagination of its own; naming the class here also lets
    # drf-spectacular document the {count, next, previous, results} envelope.
    pagination_class = PageNumberPagination

    # Every API has an InputSerializer: unique names keep the schema's apart.
    @extend_schema_serializer(component_name="EchoSubmissionCreate")
    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=100)
        message = serializers.CharField(max_length=2000)

    @extend_schema_serializer(component_name="EchoSubmission")
    class OutputSerializer(serializers.Serializer):
        id = SubmissionIdField(read_only=True)
        name = serializers.CharField()
        message = serializers.CharField()
        created_at = serializers.DateTimeField()

    @extend_schema(tags=["echo"], responses=OutputSerializer(many=True))
    def get(self, request):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(submission_list(), request, view=self)
        return paginator.get_paginated_response(
            self.OutputSerializer(page, many=True).data
        )

    @extend_schema(
        tags=["echo"],
        request=InputSerializer,
        responses={
            HTTPStatus.CREATED: OutputSerializer,
            HTTPStatus.BAD_REQUEST: OpenApiResponse(
                description="application/problem+json; `errors` names each field."
            ),
        },
    )
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)  # a 400 problem, see monolith/core
        submission = submission_create(**serializer.validated_data)
        return Response(
            self.OutputSerializer(submission).data, status=HTTPStatus.CREATED
        )
