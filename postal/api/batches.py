"""`/api/v1/data-entry-batches/`: the ward's data-entry batches, their records
(`…/{id}/records/`) and closing a batch (`…/{id}/close/`)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from intake.api.serializers import (
    AwareDateTimeField,
    BooleanField,
    CharField,
    ChoiceField,
    DateField,
    DossierCreateSerializer,
    InputSerializer,
    IntegerField,
)
from intake.api.views import FIELD_ERRORS, NOT_FOUND, request_id
from intake.services import PaperState
from postal.api._base import FORBIDDEN, WRITE_ERRORS, WorkerField
from postal.models import DataEntryBatch, DataEntryRecord
from postal.selectors import batch_records, batches_for_user
from postal.services import batch_close, batch_create, batch_update, data_entry_record
from postal.services._common import require_chief, require_ward_staff


class BatchSerializer(serializers.ModelSerializer):
    ward = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    assigned_to = serializers.CharField(source="assigned_to.username")
    created_by = serializers.CharField(source="created_by.username")
    entered = serializers.IntegerField(help_text=_("Số hồ sơ đã nhập."))
    progress = serializers.SerializerMethodField(help_text=_("Phần trăm đã nhập."))

    class Meta:
        model = DataEntryBatch
        fields = [
            "id",
            "ward",
            "title",
            "paper_count",
            "entered",
            "progress",
            "assigned_to",
            "due_date",
            "note",
            "status",
            "created_at",
            "created_by",
            "closed_at",
        ]
        read_only_fields = fields

    def get_progress(self, batch) -> float:
        return round(100 * batch.entered / batch.paper_count, 1) if batch.paper_count else 0.0


class BatchInputSerializer(InputSerializer):
    title = CharField(max_length=200)
    paper_count = IntegerField(min_value=1, max_value=10_000)
    assigned_to = WorkerField()
    due_date = DateField(required=False, allow_null=True, default=None)
    note = CharField(max_length=300, required=False, allow_blank=True, default="")


class BatchCloseSerializer(InputSerializer):
    cancel = BooleanField(
        required=False, default=False, help_text=_("true: huỷ lô lập nhầm (chưa nhập hồ sơ nào).")
    )


class BatchQuerySerializer(InputSerializer):
    status = ChoiceField(required=False, choices=DataEntryBatch.Status.choices)
    assigned_to = CharField(required=False, max_length=150, help_text=_("Tên đăng nhập."))


class RecordSerializer(serializers.ModelSerializer):
    dossier = serializers.CharField(source="dossier.code")
    status = serializers.CharField(source="dossier.status")
    entered_by = serializers.CharField(source="entered_by.username")

    class Meta:
        model = DataEntryRecord
        fields = [
            "original_receipt_number",
            "original_received_at",
            "dossier",
            "status",
            "entered_at",
            "entered_by",
        ]
        read_only_fields = fields


class RecordInputSerializer(DossierCreateSerializer):
    """A paper dossier of the batch: the intake fields plus its original receipt."""

    # A paper receipt carries no consent to be notified: its dossier is entered without one.
    notify_consent = None  # type: ignore[assignment]

    original_receipt_number = CharField(max_length=40, help_text=_("Số giấy tiếp nhận gốc."))
    original_received_at = AwareDateTimeField(
        help_text=_("Thời điểm tiếp nhận ghi trên giấy, ví dụ 2026-02-10T14:30:00+07:00.")
    )
    paper_state = ChoiceField(
        choices=PaperState.choices,
        required=False,
        default=PaperState.RECEIVED,
        help_text=_("Trạng thái ghi trên hồ sơ giấy; mặc định: đã tiếp nhận."),
    )
    paper_resolved_at = AwareDateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Ngày có kết quả ghi trên giấy (trạng thái có kết quả hoặc đã trả)."),
    )
    paper_returned_at = AwareDateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Ngày trả kết quả ghi trên giấy (trạng thái đã trả)."),
    )


@extend_schema_view(
    list=extend_schema(
        parameters=[BatchQuerySerializer],
        responses={200: BatchSerializer(many=True), 400: FIELD_ERRORS, 403: FORBIDDEN},
    ),
    retrieve=extend_schema(responses={200: BatchSerializer, 403: FORBIDDEN, 404: NOT_FOUND}),
    create=extend_schema(
        request=BatchInputSerializer,
        responses={201: BatchSerializer, 400: FIELD_ERRORS, 403: FORBIDDEN},
    ),
    partial_update=extend_schema(
        request=BatchInputSerializer(partial=True),
        responses={200: BatchSerializer, **WRITE_ERRORS},
    ),
    close=extend_schema(
        request=BatchCloseSerializer,
        responses={200: BatchSerializer, **WRITE_ERRORS},
    ),
    records=extend_schema(
        methods=["GET"],
        responses={200: RecordSerializer(many=True), 403: FORBIDDEN, 404: NOT_FOUND},
    ),
)
class DataEntryBatchViewSet(viewsets.ModelViewSet):
    """Paper dossiers received earlier, entered batch by batch by the assigned worker.

    The chief opens, changes and closes batches; the batch's worker enters each paper dossier
    with `POST …/{id}/records/` (the dossier fields of `POST /dossiers/` plus the original
    receipt's number and time). A receipt number already entered in the ward answers 409.
    """

    serializer_class = BatchSerializer
    filter_backends: list = []
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = DataEntryBatch.objects.none()

    def get_queryset(self):
        return batches_for_user(user=self.request.user)

    def _answer(self, batch, code=status.HTTP_200_OK):
        return Response(BatchSerializer(self.get_queryset().get(pk=batch.pk)).data, code)

    def list(self, request):
        query = BatchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = self.get_queryset()
        if query.validated_data.get("status"):
            rows = rows.filter(status=query.validated_data["status"])
        if query.validated_data.get("assigned_to"):
            rows = rows.filter(assigned_to__username=query.validated_data["assigned_to"])
        page = self.paginate_queryset(rows.order_by("-created_at", "-id"))
        return self.get_paginated_response(BatchSerializer(page, many=True).data)

    def create(self, request):
        require_chief(request.user)
        data = BatchInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        batch = batch_create(user=request.user, **data.validated_data)
        return self._answer(batch, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        batch = self.get_object()
        require_chief(request.user)
        data = BatchInputSerializer(data=request.data, partial=True, context={"request": request})
        data.is_valid(raise_exception=True)
        values = {k: v for k, v in data.validated_data.items() if k in request.data}
        return self._answer(batch_update(user=request.user, batch_id=batch.pk, **values))

    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the batch as done, or as cancelled when it was opened by mistake."""
        batch = self.get_object()
        require_chief(request.user)
        data = BatchCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        closed = batch_close(
            user=request.user, batch_id=batch.pk, cancel=data.validated_data["cancel"]
        )
        return self._answer(closed)

    @extend_schema(
        methods=["POST"],
        request=RecordInputSerializer,
        responses={201: RecordSerializer, 200: RecordSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["get", "post"])
    def records(self, request, pk=None):
        """GET: the batch's entered dossiers; POST: enter one paper dossier (its worker only).

        With an Idempotency-Key, a repeated request answers 200 with the record already made.
        """
        batch = self.get_object()
        if request.method == "GET":
            page = self.paginate_queryset(batch_records(batch=batch))
            return self.get_paginated_response(RecordSerializer(page, many=True).data)
        require_ward_staff(request.user)
        rid = request_id(request)
        data = RecordInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        repeated = bool(rid) and (
            DataEntryRecord.objects.filter(batch=batch, dossier__events__request_id=rid).exists()
        )
        record = data_entry_record(
            user=request.user, batch_id=batch.pk, request_id=rid, **data.validated_data
        )
        fresh = batch_records(batch=batch).get(pk=record.pk)
        code = status.HTTP_200_OK if repeated else status.HTTP_201_CREATED
        return Response(RecordSerializer(fresh).data, code)
