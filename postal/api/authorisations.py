"""`/api/v1/authorisations/`: which procedures a postal worker may receive on their own
("independent work, step by step"), granted and revoked by the ward's chief."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from intake.api.serializers import BooleanField, CharField, InputSerializer
from intake.api.views import FIELD_ERRORS, NOT_FOUND
from postal.api._base import (
    CONFLICT,
    FORBIDDEN,
    NoteSerializer,
    ProcedureCodeField,
    WorkerField,
    delete_note,
)
from postal.models import ProcedureAuthorization
from postal.selectors import authorisations_for_user
from postal.services import authorisation_grant_outcome, authorisation_revoke
from postal.services._common import require_chief


class AuthorisationSerializer(serializers.ModelSerializer):
    ward = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    worker = serializers.CharField(source="worker.username")
    procedure = serializers.CharField(source="procedure.code")
    procedure_name = serializers.CharField(source="procedure.name")
    granted_by = serializers.CharField(source="granted_by.username")
    revoked_by = serializers.CharField(source="revoked_by.username", allow_null=True)
    active = serializers.BooleanField(source="is_active")

    class Meta:
        model = ProcedureAuthorization
        fields = [
            "id",
            "ward",
            "worker",
            "procedure",
            "procedure_name",
            "active",
            "granted_at",
            "granted_by",
            "grant_note",
            "revoked_at",
            "revoked_by",
            "revoke_note",
        ]
        read_only_fields = fields


class GrantSerializer(InputSerializer):
    worker = WorkerField()
    procedure = ProcedureCodeField()
    note = CharField(max_length=300, required=False, allow_blank=True, default="")


class AuthorisationQuerySerializer(InputSerializer):
    worker = CharField(required=False, max_length=150, help_text=_("Tên đăng nhập."))
    procedure = CharField(required=False, max_length=20, help_text=_("Mã thủ tục."))
    active = BooleanField(
        required=False, allow_null=True, default=None, help_text=_("Chỉ đang giao / đã thu hồi.")
    )


@extend_schema_view(
    list=extend_schema(
        parameters=[AuthorisationQuerySerializer],
        responses={200: AuthorisationSerializer(many=True), 400: FIELD_ERRORS, 403: FORBIDDEN},
    ),
    retrieve=extend_schema(
        responses={200: AuthorisationSerializer, 403: FORBIDDEN, 404: NOT_FOUND}
    ),
    create=extend_schema(
        summary=_("Giao một thủ tục cho nhân viên (đã giao thì trả lại quyền đang có)"),
        request=GrantSerializer,
        responses={
            201: AuthorisationSerializer,
            200: AuthorisationSerializer,
            400: FIELD_ERRORS,
            403: FORBIDDEN,
        },
    ),
    destroy=extend_schema(
        summary=_("Thu hồi (giữ lại trong lịch sử)"),
        request=NoteSerializer,
        responses={200: AuthorisationSerializer, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    ),
)
class AuthorisationViewSet(viewsets.ModelViewSet):
    """Which postal worker may receive which postal-eligible procedure on their own.

    Granted and revoked by the ward's chief; a revocation keeps the grant, with who and when,
    and granting again writes a new one.
    """

    serializer_class = AuthorisationSerializer
    filter_backends: list = []
    http_method_names = ["get", "post", "delete", "head", "options"]
    queryset = ProcedureAuthorization.objects.none()

    def get_queryset(self):
        return authorisations_for_user(user=self.request.user)

    def list(self, request):
        query = AuthorisationQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        rows = self.get_queryset()
        if params.get("worker"):
            rows = rows.filter(worker__username=params["worker"])
        if params.get("procedure"):
            rows = rows.filter(procedure__code=params["procedure"])
        if params.get("active") is not None:
            rows = rows.filter(revoked_at__isnull=params["active"])
        page = self.paginate_queryset(rows.order_by("-granted_at", "-id"))
        return self.get_paginated_response(AuthorisationSerializer(page, many=True).data)

    def create(self, request):
        require_chief(request.user)
        data = GrantSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        grant, created = authorisation_grant_outcome(user=request.user, **data.validated_data)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(AuthorisationSerializer(self.get_queryset().get(pk=grant.pk)).data, code)

    def destroy(self, request, pk=None):
        grant = self.get_object()
        require_chief(request.user)
        revoked = authorisation_revoke(
            user=request.user, authorisation_id=grant.pk, note=delete_note(request)
        )
        return Response(AuthorisationSerializer(self.get_queryset().get(pk=revoked.pk)).data)
