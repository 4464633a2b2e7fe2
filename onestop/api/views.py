from django.contrib.auth import authenticate
from django.http import JsonResponse
from drf_spectacular.utils import OpenApiTypes, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import status
from rest_framework.exceptions import NotFound, Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from onestop.api.serializers import (
    INVALID_CREDENTIALS,
    LOCKED_OUT,
    MeSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from onestop.tokens import api_token_issue


class TokenView(APIView):
    """Exchange a username and password for an API token (the same lockout as the login page)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, 400: OpenApiTypes.OBJECT, 429: OpenApiTypes.OBJECT},
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(request, **data.validated_data)
        # django-axes marks DRF's request, which its middleware never sees: answer the lockout
        # here, or a locked-out client is told its (right) password is wrong and keeps retrying.
        if getattr(request, "axes_locked_out", False):
            raise Throttled(detail=LOCKED_OUT)
        if user is None or not user.is_active:
            return Response(
                {"non_field_errors": [str(INVALID_CREDENTIALS)]}, status=status.HTTP_400_BAD_REQUEST
            )
        # An account still on its one-time password gets its token, but every call with it
        # answers 403 until the password is changed (onestop.api.authentication).
        key = api_token_issue(user=user, address=request.META.get("REMOTE_ADDR"))
        return Response({"token": key})


class MeView(APIView):
    """Who the caller is: role, ward and city."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = request.user
        return Response(MeSerializer(user).data)


class SchemaView(SpectacularAPIView):
    """The OpenAPI document, for signed-in staff (session or token) only.

    Anyone else gets the API's 404 (`{"detail": …}` in JSON, not the schema's YAML renderer):
    the list of endpoints and fields is a map for an attacker and of no use to a citizen.
    """

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not request.user.is_authenticated:
            raise NotFound

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        return JsonResponse(response.data, status=response.status_code)
