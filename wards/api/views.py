from rest_framework import viewsets

from wards.api.serializers import WardSerializer
from wards.selectors import wards_for_user


class WardViewSet(viewsets.ReadOnlyModelViewSet):
    """Wards in the caller's scope."""

    serializer_class = WardSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return wards_for_user(user=self.request.user).order_by("name")
