from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets

from intake.api.serializers import ProcedureSerializer
from intake.selectors import procedures_for_user


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "search", str, description="Mã hoặc tên thủ tục, không cần dấu: dang ky khai sinh"
            )
        ]
    )
)
class ProcedureViewSet(viewsets.ReadOnlyModelViewSet):
    """The procedure catalogue; search by code or name, with or without diacritics."""

    serializer_class = ProcedureSerializer
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"

    def get_queryset(self):
        return procedures_for_user(
            user=self.request.user, search=self.request.query_params.get("search", "")[:200]
        )
