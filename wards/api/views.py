from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from wards.api.serializers import WardSerializer
from wards.selectors import wards_for_user


@extend_schema_view(
    retrieve=extend_schema(responses={200: WardSerializer, 404: OpenApiTypes.OBJECT}),
)
class WardViewSet(viewsets.ReadOnlyModelViewSet):
    """Wards in the caller's scope."""

    serializer_class = WardSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return wards_for_user(user=self.request.user).order_by("name")
