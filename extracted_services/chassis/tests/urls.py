"""URLs of the stand-in service: the chassis's own, plus views that exist for tests.

Each test view does one thing a real service's API does (raise a problem, need a
user, need a calling service), so the tests can send a whole HTTP request for it.
"""

import logging
from http import HTTPStatus

from django.contrib import admin
from django.urls import include, path
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from extracted_services.chassis.auth import IsInternalService, IsStaffOrReadOnly
from extracted_services.chassis.problems import ProblemError, ServiceUnavailable

logger = logging.getLogger("extracted_services.chassis.tests")

TEAPOT = "I refuse to brew coffee."
LOGGED = "a line written while serving the request"
BOOM = "a bug in a view"


class TeapotProblem(ProblemError):
    status_code = HTTPStatus.IM_A_TEAPOT
    slug = "teapot"
    title = "I'm a teapot"


class TeapotApi(APIView):
    def get(self, request):
        # Extension members as keywords, the spec's form; POST uses extra={...}.
        raise TeapotProblem(TEAPOT, product_id=3)

    def post(self, request):
        raise TeapotProblem(TEAPOT, extra={"product_id": 3})


class UnavailableApi(APIView):
    def get(self, request):
        raise ServiceUnavailable("catalog")


class ValidateApi(APIView):
    class InputSerializer(serializers.Serializer):
        name = serializers.CharField()

    def post(self, request):
        self.InputSerializer(data=request.data).is_valid(raise_exception=True)
        return Response(status=HTTPStatus.NO_CONTENT)


class BoomApi(APIView):
    def get(self, request):
        raise RuntimeError(BOOM)


class LogApi(APIView):
    def get(self, request):
        logger.info(LOGGED)
        return Response({"logged": True})


class WhoAmIApi(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        user = request.user
        return Response(
            {"id": user.id, "username": user.username, "is_staff": user.is_staff}
        )


class ShelfApi(APIView):
    permission_classes = [IsStaffOrReadOnly]

    def get(self, request):
        return Response({"items": []})

    def post(self, request):
        return Response({"created": True}, status=HTTPStatus.CREATED)


class InternalPingApi(APIView):
    permission_classes = [IsInternalService]
    allowed_callers = ("orders",)

    def get(self, request):
        return Response({"caller": request.service_caller})


urlpatterns = [
    path("", include("extracted_services.chassis.urls")),
    path("api/teapot/", TeapotApi.as_view()),
    path("api/unavailable/", UnavailableApi.as_view()),
    path("api/validate/", ValidateApi.as_view()),
    path("api/boom/", BoomApi.as_view()),
    path("api/log/", LogApi.as_view(), name="log"),
    path("api/whoami/", WhoAmIApi.as_view()),
    path("api/shelf/", ShelfApi.as_view()),
    path("internal/ping/", InternalPingApi.as_view()),
    path("boom/", BoomApi.as_view()),
    path("admin/", admin.site.urls),  # the outbox's admin (outboxapp/admin.py)
]

handler404 = "extracted_services.chassis.views.api_aware_404"
handler500 = "extracted_services.chassis.views.api_aware_500"
