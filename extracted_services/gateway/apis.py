"""The auth API: sign up, get and refresh a JWT, and ask who is signed in.

The monolith's ``accounts/apis.py``, moved to the gateway, which owns the users. Its
tokens carry the user's ``username`` and ``is_staff`` so that every service can
authorise a request from the token alone, without asking the gateway. An access token
lives 5 minutes; each refresh reads the user again, so a demotion or a deactivated
account counts from the next refresh on.
"""

from django.contrib.auth.models import User
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt import views as jwt_views
from rest_framework_simplejwt.serializers import (
    TokenObtainPairSerializer,
    TokenRefreshSerializer,
)
from rest_framework_simplejwt.tokens import RefreshToken, Token

from .on_behalf import OnBehalfAuthRateThrottle, OnBehalfRegisterRateThrottle
from .services import user_create

USERNAME_TAKEN = "A user with that username already exists."
NO_ACTIVE_ACCOUNT = "No active account found for the given token."

# Error responses for the schema; every body is application/problem+json.
INVALID_FIELDS = OpenApiResponse(description="Validation problem: `errors` per field.")
UNAUTHORIZED = OpenApiResponse(description="Problem: missing or invalid credentials.")
THROTTLED = OpenApiResponse(description="Problem: too many attempts; see Retry-After.")


class UserOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.EmailField()

    class Meta:
        ref_name = "User"


# simplejwt's views build their bodies from plain dicts; these describe them.
class TokenPairOutputSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()

    class Meta:
        ref_name = "TokenPair"


class AccessTokenOutputSerializer(serializers.Serializer):
    access = serializers.CharField()

    class Meta:
        ref_name = "AccessToken"


class RegisterApi(APIView):
    """Sign up: create a customer account."""

    throttle_classes = [OnBehalfRegisterRateThrottle]

    class InputSerializer(serializers.Serializer):
        username = serializers.CharField(
            max_length=150, validators=[UnicodeUsernameValidator()]
        )
        email = serializers.EmailField()
        password = serializers.CharField(
            write_only=True, trim_whitespace=False, style={"input_type": "password"}
        )

        class Meta:
            ref_name = "RegisterInput"

        def validate_username(self, value: str) -> str:
            # Case-insensitive, like the sign-up page: "Alice" is taken by "alice".
            if User.objects.filter(username__iexact=value).exists():
                raise serializers.ValidationError(USERNAME_TAKEN)
            return value

    @extend_schema(
        request=InputSerializer,
        responses={
            status.HTTP_201_CREATED: UserOutputSerializer,
            status.HTTP_400_BAD_REQUEST: INVALID_FIELDS,
            status.HTTP_429_TOO_MANY_REQUESTS: THROTTLED,
        },
    )
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            user = user_create(**serializer.validated_data)
        except DjangoValidationError as exc:  # a password the validators reject
            raise serializers.ValidationError(exc.message_dict) from exc
        except IntegrityError as exc:
            # Another sign-up took the name between our check and our insert.
            raise serializers.ValidationError({"username": [USERNAME_TAKEN]}) from exc
        data = UserOutputSerializer(user).data
        return Response(data, status=status.HTTP_201_CREATED)


def user_claims_add(*, token: Token, user: User) -> Token:
    """What a service needs to know of the user, written into the token."""
    token["username"] = user.username
    token["is_staff"] = user.is_staff
    return token


class ShopTokenObtainPairSerializer(TokenObtainPairSerializer):
    """Tokens that say who the user is, for services that cannot look them up."""

    @classmethod
    def get_token(cls, user):
        return user_claims_add(token=super().get_token(user), user=user)


class ShopTokenRefreshSerializer(TokenRefreshSerializer):
    """A new access token with the user's claims as they are now, not at sign-in."""

    def validate(self, attrs: dict) -> dict[str, str]:
        refresh = RefreshToken(attrs["refresh"])  # 401 if invalid, expired or not one
        user = User.objects.filter(pk=refresh.get("user_id"), is_active=True).first()
        if user is None:  # deleted or deactivated since it signed in
            raise exceptions.AuthenticationFailed(NO_ACTIVE_ACCOUNT)
        access = user_claims_add(token=refresh.access_token, user=user)
        return {"access": str(access)}


class TokenObtainApi(jwt_views.TokenObtainPairView):
    """Sign in: trade a username and password for an access and a refresh token."""

    serializer_class = ShopTokenObtainPairSerializer
    throttle_classes = [OnBehalfAuthRateThrottle]

    @extend_schema(
        responses={
            status.HTTP_200_OK: TokenPairOutputSerializer,
            status.HTTP_400_BAD_REQUEST: INVALID_FIELDS,
            status.HTTP_401_UNAUTHORIZED: UNAUTHORIZED,
            status.HTTP_429_TOO_MANY_REQUESTS: THROTTLED,
        },
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class TokenRefreshApi(jwt_views.TokenRefreshView):
    """Trade a refresh token for a new access token."""

    serializer_class = ShopTokenRefreshSerializer

    @extend_schema(
        responses={
            status.HTTP_200_OK: AccessTokenOutputSerializer,
            status.HTTP_400_BAD_REQUEST: INVALID_FIELDS,
            status.HTTP_401_UNAUTHORIZED: UNAUTHORIZED,
        },
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class MeApi(APIView):
    """The signed-in user."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={
            status.HTTP_200_OK: UserOutputSerializer,
            status.HTTP_401_UNAUTHORIZED: UNAUTHORIZED,
        },
    )
    def get(self, request):
        return Response(UserOutputSerializer(request.user).data)
