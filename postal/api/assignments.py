"""`/api/v1/assignments/`: the weekly roster, one assignment a worker, day, shift and task, with
its change log (`…/{id}/history/`); the chief books, moves and cancels, everyone reads.
"""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from intake.api.serializers import (
    BooleanField,
    CharField,
    ChoiceField,
    CounterNumberField,
    DateField,
    InputSerializer,
)
from intake.api.views import FIELD_ERRORS, NOT_FOUND
from postal.api._base import (
    CONFLICT,
    FORBIDDEN,
    MAX_RANGE_DAYS,
    WRITE_ERRORS,
    NoteSerializer,
    WorkerField,
    delete_note,
)
from postal.models import Assignment, AssignmentChange, Shift, TaskType
from postal.selectors import assignment_history, assignments_for_user
from postal.services import assignment_cancel, assignment_create, assignment_update
from postal.services._common import require_chief
from postal.weeks import WEEK, parse_week


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
        request=AssignmentInputSerializer, responses={200: AssignmentSerializer, **WRITE_ERRORS}
    ),
    partial_update=extend_schema(
        request=AssignmentInputSerializer(partial=True),
        responses={200: AssignmentSerializer, **WRITE_ERRORS},
    ),
    destroy=extend_schema(
        summary=_("Huỷ phân công (giữ lại trong lịch sử)"),
        request=NoteSerializer,
        responses={200: AssignmentSerializer, **WRITE_ERRORS},
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
            user=request.user, assignment_id=assignment.pk, note=delete_note(request)
        )
        return self._answer(cancelled)

    # A handful of changes, answered as one list (not paginated), as the schema says.
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        """Every change of the assignment, oldest first: who, when, before and after."""
        changes = assignment_history(assignment=self.get_object())
        return Response(AssignmentChangeSerializer(changes, many=True).data)
