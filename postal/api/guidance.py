"""`/api/v1/guidance/`: the guidance log, one line a citizen guided, referred or received."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from intake.api.serializers import (
    CharField,
    ChoiceField,
    CounterNumberField,
    DateField,
    InputSerializer,
)
from intake.api.views import FIELD_ERRORS, NOT_FOUND
from postal.api._base import FORBIDDEN, ProcedureCodeField
from postal.models import GuidanceSession
from postal.selectors import guidance_for_user
from postal.services import guidance_log
from postal.services._common import require_ward_staff


class GuidanceSerializer(serializers.ModelSerializer):
    ward = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    worker = serializers.CharField(source="worker.username")
    procedure = serializers.CharField(source="procedure.code", allow_null=True)
    counter = serializers.IntegerField(source="counter.number", allow_null=True)

    class Meta:
        model = GuidanceSession
        fields = ["id", "ward", "worker", "at", "topic", "outcome", "procedure", "counter"]
        read_only_fields = fields


class GuidanceInputSerializer(InputSerializer):
    topic = CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Nội dung; để trống thì lấy tên thủ tục."),
    )
    outcome = ChoiceField(choices=GuidanceSession.Outcome.choices)
    procedure = ProcedureCodeField(required=False, allow_null=True, default=None)
    counter = CounterNumberField()


class GuidanceQuerySerializer(InputSerializer):
    date_from = DateField(required=False)
    date_to = DateField(required=False)
    worker = CharField(required=False, max_length=150)
    outcome = ChoiceField(required=False, choices=GuidanceSession.Outcome.choices)


@extend_schema_view(
    list=extend_schema(
        parameters=[GuidanceQuerySerializer],
        responses={200: GuidanceSerializer(many=True), 400: FIELD_ERRORS, 403: FORBIDDEN},
    ),
    retrieve=extend_schema(responses={200: GuidanceSerializer, 403: FORBIDDEN, 404: NOT_FOUND}),
    create=extend_schema(
        request=GuidanceInputSerializer,
        responses={201: GuidanceSerializer, 400: FIELD_ERRORS, 403: FORBIDDEN},
    ),
)
class GuidanceViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The guidance log: citizens guided at the counter, newest first. The caller logs their
    own sessions, timed now."""

    serializer_class = GuidanceSerializer
    filter_backends: list = []
    queryset = GuidanceSession.objects.none()

    def get_queryset(self):
        return guidance_for_user(user=self.request.user)

    def list(self, request):
        query = GuidanceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        rows = self.get_queryset()
        if params.get("date_from"):
            rows = rows.filter(at__date__gte=params["date_from"])
        if params.get("date_to"):
            rows = rows.filter(at__date__lte=params["date_to"])
        if params.get("worker"):
            rows = rows.filter(worker__username=params["worker"])
        if params.get("outcome"):
            rows = rows.filter(outcome=params["outcome"])
        page = self.paginate_queryset(rows.order_by("-at", "-id"))
        return self.get_paginated_response(GuidanceSerializer(page, many=True).data)

    def create(self, request):
        require_ward_staff(request.user)
        data = GuidanceInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        session = guidance_log(user=request.user, **data.validated_data)
        fresh = self.get_queryset().get(pk=session.pk)
        return Response(GuidanceSerializer(fresh).data, status.HTTP_201_CREATED)
