"""API of the postal back office: `/api/v1/assignments/`, `/authorisations/`,
`/data-entry-batches/` (with `…/{id}/records/` and `…/{id}/close/`) and `/guidance/`.

The same selectors and services as the pages, so the same scope and the same refusals: 400 with
field errors, 403 when the role may not, 404 outside the caller's scope, 409 on a clash or a
state that does not allow the change. People are named by username, procedures by code and
counters by their number in the caller's ward, as in the dossier API.
"""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from intake.api.serializers import (
    AwareDateTimeField,
    BooleanField,
    CharField,
    ChoiceField,
    CounterNumberField,
    DateField,
    DetailSerializer,
    DossierCreateSerializer,
    InputSerializer,
    IntegerField,
)
from intake.api.views import FIELD_ERRORS, NOT_FOUND, request_id
from intake.models import Procedure
from intake.selectors import procedure_for_user
from postal.models import (
    Assignment,
    AssignmentChange,
    DataEntryBatch,
    DataEntryRecord,
    GuidanceSession,
    ProcedureAuthorization,
    Shift,
    TaskType,
)
from postal.selectors import (
    assignment_history,
    assignments_for_user,
    authorisations_for_user,
    batch_records,
    batches_for_user,
    guidance_for_user,
    postal_workers_for_user,
)
from postal.services import (
    assignment_cancel,
    assignment_create,
    assignment_update,
    authorisation_grant,
    authorisation_revoke,
    batch_close,
    batch_create,
    batch_update,
    data_entry_record,
    guidance_log,
)
from postal.services._common import require_chief, require_ward_staff
from postal.weeks import WEEK, parse_week
from wards.scope import working_ward_id

FORBIDDEN = OpenApiResponse(
    DetailSerializer, description=_("Chưa đăng nhập, hoặc vai trò không được làm việc này.")
)
CONFLICT = OpenApiResponse(
    DetailSerializer,
    description=_("Trùng phân công (nêu rõ phân công đã có), hoặc trạng thái không cho phép."),
)
MAX_RANGE_DAYS = 366

# --- references --------------------------------------------------------------------------------


class WorkerField(CharField):
    """A postal worker of the caller's ward, by username."""

    default_error_messages = {
        "unknown": _("Phường của bạn không có nhân viên bưu điện “{username}” đang làm việc."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text", _("Tên đăng nhập của nhân viên bưu điện, ví dụ postal.phuhoa.")
        )
        super().__init__(max_length=150, **kwargs)

    def run_validation(self, data=serializers.empty):
        username = super().run_validation(data)
        user = self.context["request"].user
        worker = (
            postal_workers_for_user(user=user)
            .filter(ward_id=working_ward_id(user), username=username)
            .first()
        )
        if worker is None:
            self.fail("unknown", username=username)
        return worker

    def to_representation(self, value):
        return value.username


class ProcedureCodeField(CharField):
    default_error_messages = {
        "unknown": _("Không có thủ tục mã “{code}” đang áp dụng trong danh mục."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("Mã thủ tục, ví dụ 1.001193."))
        super().__init__(max_length=20, **kwargs)

    def run_validation(self, data=serializers.empty):
        code = super().run_validation(data)
        if code is None:
            return None
        try:
            return procedure_for_user(user=self.context["request"].user, code=code)
        except Procedure.DoesNotExist:
            self.fail("unknown", code=code)

    def to_representation(self, value):
        return value.code


class NoteSerializer(InputSerializer):
    note = CharField(max_length=300, required=False, allow_blank=True, default="")


def _note(request) -> str:
    """The note of a DELETE: from a JSON body, a form, or `?note=`."""
    data = request.data if isinstance(request.data, dict) else {}
    if "note" not in data and "note" in request.query_params:
        data = {"note": request.query_params["note"]}
    note = NoteSerializer(data=data)
    note.is_valid(raise_exception=True)
    return note.validated_data["note"]


# --- assignments -------------------------------------------------------------------------------


class AssignmentSerializer(serializers.ModelSerializer):
    ward = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    worker = serializers.CharField(source="worker.username", read_only=True)
    worker_name = serializers.CharField(source="worker.get_full_name", read_only=True)
    counter = serializers.IntegerField(source="counter.number", read_only=True, allow_null=True)
    assigned_by = serializers.CharField(source="assigned_by.username", read_only=True)
    cancelled = serializers.BooleanField(source="is_cancelled", read_only=True)
    cancelled_by = serializers.CharField(
        source="cancelled_by.username", read_only=True, allow_null=True
    )

    class Meta:
        model = Assignment
        fields = [
            "id",
            "ward",
            "worker",
            "worker_name",
            "date",
            "shift",
            "task_type",
            "counter",
            "note",
            "assigned_by",
            "created_at",
            "updated_at",
            "cancelled",
            "cancelled_at",
            "cancelled_by",
            "cancel_note",
        ]
        read_only_fields = fields


class AssignmentInputSerializer(InputSerializer):
    worker = WorkerField()
    date = DateField()
    shift = ChoiceField(choices=Shift.choices)
    task_type = ChoiceField(choices=TaskType.choices)
    counter = CounterNumberField(
        help_text=_(
            "Số quầy trong phường; bắt buộc với tiếp nhận, trả kết quả, tiếp nhận ngoài danh mục."
        )
    )
    note = CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Bắt buộc khi phân công hoặc điều chỉnh cho ngày đã qua."),
    )


class AssignmentQuerySerializer(InputSerializer):
    week = CharField(
        required=False,
        max_length=8,
        help_text=_("Tuần ISO, ví dụ 2026-W11 (thứ Hai 09/03/2026 đến Chủ nhật 15/03/2026)."),
    )
    date_from = DateField(required=False, help_text=_("Từ ngày (YYYY-MM-DD)."))
    date_to = DateField(required=False, help_text=_("Đến ngày (YYYY-MM-DD), tính cả ngày này."))
    worker = CharField(required=False, max_length=150, help_text=_("Tên đăng nhập."))
    task_type = ChoiceField(required=False, choices=TaskType.choices)
    include_cancelled = BooleanField(
        required=False, default=False, help_text=_("Kèm các phân công đã huỷ.")
    )

    def validate_week(self, value: str) -> dt.date:
        if not WEEK.match(value.strip()):
            raise ValidationError(_("Tuần theo dạng YYYY-Www, ví dụ 2026-W11."))
        try:
            return parse_week(value)
        except ValueError:
            raise ValidationError(_("Năm này không có tuần %(week)s.") % {"week": value}) from None

    def validate(self, data):
        monday = data.pop("week", None)
        if monday is not None:
            if "date_from" in data or "date_to" in data:
                raise ValidationError(
                    {"week": [_("Dùng tuần hoặc khoảng ngày, không dùng cả hai.")]}
                )
            data["date_from"], data["date_to"] = monday, monday + dt.timedelta(days=6)
        first, last = data.get("date_from"), data.get("date_to")
        if first and last:
            if last < first:
                raise ValidationError({"date_to": [_("Đến ngày phải sau hoặc bằng từ ngày.")]})
            if (last - first).days > MAX_RANGE_DAYS:
                raise ValidationError(
                    {"date_to": [_("Khoảng ngày tối đa %(days)s ngày.") % {"days": MAX_RANGE_DAYS}]}
                )
        return data


class AssignmentChangeSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username")

    class Meta:
        model = AssignmentChange
        fields = ["at", "actor", "action", "before", "after", "note"]


ASSIGNMENT_WRITE = {
    400: FIELD_ERRORS,
    403: FORBIDDEN,
    404: NOT_FOUND,
    409: CONFLICT,
}


@extend_schema_view(
    list=extend_schema(
        parameters=[AssignmentQuerySerializer],
        responses={200: AssignmentSerializer(many=True), 400: FIELD_ERRORS, 403: FORBIDDEN},
    ),
    retrieve=extend_schema(responses={200: AssignmentSerializer, 403: FORBIDDEN, 404: NOT_FOUND}),
    create=extend_schema(
        request=AssignmentInputSerializer,
        responses={201: AssignmentSerializer, 400: FIELD_ERRORS, 403: FORBIDDEN, 409: CONFLICT},
    ),
    update=extend_schema(
        request=AssignmentInputSerializer, responses={200: AssignmentSerializer, **ASSIGNMENT_WRITE}
    ),
    partial_update=extend_schema(
        request=AssignmentInputSerializer(partial=True),
        responses={200: AssignmentSerializer, **ASSIGNMENT_WRITE},
    ),
    destroy=extend_schema(
        summary=_("Huỷ phân công (giữ lại trong lịch sử)"),
        request=NoteSerializer,
        responses={200: AssignmentSerializer, **ASSIGNMENT_WRITE},
    ),
    history=extend_schema(
        responses={200: AssignmentChangeSerializer(many=True), 403: FORBIDDEN, 404: NOT_FOUND}
    ),
)
class AssignmentViewSet(viewsets.ModelViewSet):
    """The roster: one worker's task in one shift of one day.

    Ward staff read their ward's roster, city admins their city's; only the ward's chief writes.
    A worker has at most one live assignment per shift: a second one answers 409 naming the
    first. DELETE cancels (a `note` saying why is required); the assignment stays, cancelled,
    in the history.
    """

    serializer_class = AssignmentSerializer
    filter_backends: list = []
    queryset = Assignment.objects.none()

    def get_queryset(self):
        return assignments_for_user(user=self.request.user).select_related(
            "assigned_by", "cancelled_by"
        )

    def list(self, request):
        """Assignments in scope, by date and shift; live ones only unless asked."""
        query = AssignmentQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        rows = self.get_queryset()
        if not params["include_cancelled"]:
            rows = rows.filter(cancelled_at__isnull=True)
        if params.get("date_from"):
            rows = rows.filter(date__gte=params["date_from"])
        if params.get("date_to"):
            rows = rows.filter(date__lte=params["date_to"])
        if params.get("worker"):
            rows = rows.filter(worker__username=params["worker"])
        if params.get("task_type"):
            rows = rows.filter(task_type=params["task_type"])
        rows = rows.order_by("date", "shift", "worker__last_name", "worker__first_name", "id")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(AssignmentSerializer(page, many=True).data)

    def _answer(self, assignment, code=status.HTTP_200_OK, **kwargs):
        fresh = self.get_queryset().get(pk=assignment.pk)
        return Response(AssignmentSerializer(fresh).data, status=code, **kwargs)

    def create(self, request):
        require_chief(request.user)
        data = AssignmentInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        assignment = assignment_create(user=request.user, **data.validated_data)
        url = reverse("assignment-detail", kwargs={"pk": assignment.pk})
        return self._answer(
            assignment,
            status.HTTP_201_CREATED,
            headers={"Location": request.build_absolute_uri(url)},
        )

    def update(self, request, pk=None, partial=False):
        assignment = self.get_object()
        require_chief(request.user)
        data = AssignmentInputSerializer(
            data=request.data, partial=partial, context={"request": request}
        )
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if partial and "note" not in request.data:
            values.pop("note", None)  # the default "" must not erase the note
        updated = assignment_update(user=request.user, assignment_id=assignment.pk, **values)
        return self._answer(updated)

    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)

    def destroy(self, request, pk=None):
        assignment = self.get_object()
        require_chief(request.user)
        cancelled = assignment_cancel(
            user=request.user, assignment_id=assignment.pk, note=_note(request)
        )
        return self._answer(cancelled)

    # A handful of changes, answered as one list (not paginated), as the schema says.
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        """Every change of the assignment, oldest first: who, when, before and after."""
        changes = assignment_history(assignment=self.get_object())
        return Response(AssignmentChangeSerializer(changes, many=True).data)


# --- authorisations ----------------------------------------------------------------------------


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
        before = ProcedureAuthorization.objects.filter(
            worker=data.validated_data["worker"],
            procedure=data.validated_data["procedure"],
            revoked_at__isnull=True,
        ).exists()
        grant = authorisation_grant(user=request.user, **data.validated_data)
        code = status.HTTP_200_OK if before else status.HTTP_201_CREATED
        return Response(AuthorisationSerializer(self.get_queryset().get(pk=grant.pk)).data, code)

    def destroy(self, request, pk=None):
        grant = self.get_object()
        require_chief(request.user)
        revoked = authorisation_revoke(
            user=request.user, authorisation_id=grant.pk, note=_note(request)
        )
        return Response(AuthorisationSerializer(self.get_queryset().get(pk=revoked.pk)).data)


# --- data-entry batches ------------------------------------------------------------------------


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
    entered_by = serializers.CharField(source="entered_by.username")

    class Meta:
        model = DataEntryRecord
        fields = [
            "original_receipt_number",
            "original_received_at",
            "dossier",
            "entered_at",
            "entered_by",
        ]
        read_only_fields = fields


class RecordInputSerializer(DossierCreateSerializer):
    """A paper dossier of the batch: the intake fields plus its original receipt."""

    original_receipt_number = CharField(max_length=40, help_text=_("Số giấy tiếp nhận gốc."))
    original_received_at = AwareDateTimeField(
        help_text=_("Thời điểm tiếp nhận ghi trên giấy, ví dụ 2026-02-10T14:30:00+07:00.")
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
        responses={200: BatchSerializer, **ASSIGNMENT_WRITE},
    ),
    close=extend_schema(
        request=BatchCloseSerializer,
        responses={200: BatchSerializer, **ASSIGNMENT_WRITE},
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
        responses={201: RecordSerializer, 200: RecordSerializer, **ASSIGNMENT_WRITE},
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


# --- guidance ----------------------------------------------------------------------------------


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
