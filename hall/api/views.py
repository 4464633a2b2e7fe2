"""`/api/v1/hall/`: a ticket for a kiosk, the next call for a counter, the display's state, the
citizen's evaluation."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from hall.api.authentication import DeviceAuthentication, StaffOrDevice
from hall.models import (
    COMMENT_LIMIT,
    FULL_SCORE,
    INDICATOR_NAMES,
    INDICATORS,
    Device,
    Evaluation,
    EvaluationChannel,
    ServiceGroup,
    Ticket,
)
from hall.selectors import hall_state, ticket_for_user, tickets_ahead
from hall.services import evaluation_submit, ticket_call_next, ticket_issue
from intake.api.serializers import CounterNumberField, DetailSerializer, InputSerializer
from intake.api.views import FIELD_ERRORS, NOT_FOUND
from intake.models import Dossier, Satisfaction
from onestop.api.authentication import SessionAuthentication, TokenAuthentication
from wards.scope import working_ward_id

FORBIDDEN = OpenApiResponse(
    DetailSerializer, description=_lazy("Chưa đăng nhập, thiết bị bị thu hồi, hoặc sai vai trò.")
)
CONFLICT = OpenApiResponse(
    DetailSerializer, description=_lazy("Nhóm chưa có quầy phục vụ, hoặc số đã kết thúc.")
)
AUTHENTICATION = [SessionAuthentication, TokenAuthentication, DeviceAuthentication]


class TicketSerializer(serializers.ModelSerializer):
    group = serializers.CharField(source="issued_group.name")
    group_id = serializers.IntegerField(source="group.pk")
    counter = serializers.IntegerField(source="counter.number", allow_null=True, default=None)
    ahead = serializers.SerializerMethodField()

    class Meta:
        model = Ticket
        fields = [
            "id",
            "number",
            "group",
            "group_id",
            "day",
            "status",
            "issued_at",
            "called_at",
            "served_at",
            "done_at",
            "counter",
            "ahead",
        ]
        read_only_fields = fields

    def get_ahead(self, ticket) -> int:
        return tickets_ahead(ticket)


class TicketInputSerializer(InputSerializer):
    group = serializers.IntegerField(min_value=1, help_text=_lazy("Mã số nhóm dịch vụ."))


class CallNextInputSerializer(InputSerializer):
    counter = CounterNumberField(help_text=_lazy("Số quầy; bỏ trống: quầy theo phân công."))


class CallNextSerializer(serializers.Serializer):
    ticket = TicketSerializer(allow_null=True)
    detail = serializers.CharField()


def _ward_of(request) -> int:
    if isinstance(request.auth, Device):
        return request.auth.ward_id
    ward_id = working_ward_id(request.user)
    if ward_id is None:
        raise PermissionDenied(_("Chỉ cán bộ, nhân viên của phường hoặc thiết bị của phường."))
    return ward_id


class TicketCreateView(APIView):
    """Issue a ticket (a kiosk with `Authorization: Device <key>`, or the ward's staff)."""

    authentication_classes = AUTHENTICATION
    permission_classes = [StaffOrDevice]
    device_kinds = (Device.Kind.KIOSK,)

    @extend_schema(
        request=TicketInputSerializer,
        responses={201: TicketSerializer, 400: FIELD_ERRORS, 403: FORBIDDEN, 409: CONFLICT},
    )
    def post(self, request):
        data = TicketInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ward_id = _ward_of(request)
        group = ServiceGroup.objects.filter(
            pk=data.validated_data["group"], ward_id=ward_id
        ).first()
        if group is None:
            return Response(
                {"group": [_("Phường không có nhóm dịch vụ này.")]}, status.HTTP_400_BAD_REQUEST
            )
        device = request.auth if isinstance(request.auth, Device) else None
        user = None if device else request.user
        ticket = ticket_issue(group=group, device=device, user=user)
        return Response(TicketSerializer(ticket).data, status.HTTP_201_CREATED)


class TicketDetailView(APIView):
    """One ticket of the caller's ward."""

    @extend_schema(responses={200: TicketSerializer, 403: FORBIDDEN, 404: NOT_FOUND})
    def get(self, request, pk):
        return Response(TicketSerializer(ticket_for_user(user=request.user, pk=pk)).data)


class CallNextView(APIView):
    """Finish the counter's current ticket and call the next one waiting (`ticket` null when
    nobody waits)."""

    @extend_schema(
        request=CallNextInputSerializer,
        responses={200: CallNextSerializer, 400: FIELD_ERRORS, 403: FORBIDDEN},
    )
    def post(self, request):
        if working_ward_id(request.user) is None:
            raise PermissionDenied(_("Chỉ cán bộ, nhân viên của phường mới được gọi số."))
        data = CallNextInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        ticket = ticket_call_next(user=request.user, counter=data.validated_data.get("counter"))
        if ticket is None:
            return Response({"ticket": None, "detail": _("Không còn công dân nào đang chờ.")})
        return Response(
            {
                "ticket": TicketSerializer(ticket).data,
                "detail": _("Mời công dân số %(number)s đến quầy số %(counter)s")
                % {"number": ticket.number, "counter": ticket.counter.number},
            }
        )


class CounterCallSerializer(serializers.Serializer):
    counter = serializers.IntegerField()
    number = serializers.IntegerField(allow_null=True)


class CallSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    counter = serializers.IntegerField()
    at = serializers.DateTimeField()


class GroupWaitingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    waiting = serializers.IntegerField()


class DisplaySerializer(serializers.Serializer):
    latest = serializers.IntegerField()
    counters = CounterCallSerializer(many=True)
    last_calls = CallSerializer(many=True)
    groups = GroupWaitingSerializer(many=True)


class DisplayView(APIView):
    """What the hall display shows (a display with `Authorization: Device <key>`, or staff)."""

    authentication_classes = AUTHENTICATION
    permission_classes = [StaffOrDevice]
    device_kinds = (Device.Kind.DISPLAY,)

    @extend_schema(responses={200: DisplaySerializer, 403: FORBIDDEN})
    def get(self, request):
        state = hall_state(ward_id=_ward_of(request))
        return Response(
            {
                "latest": state.latest,
                "counters": [
                    {
                        "counter": row.counter.number,
                        "number": row.ticket.number if row.ticket else None,
                    }
                    for row in state.counters
                ],
                "last_calls": [
                    {"number": call.ticket.number, "counter": call.counter.number, "at": call.at}
                    for call in state.last_calls
                ],
                "groups": [
                    {"id": group.pk, "name": group.name, "waiting": group.waiting}
                    for group in state.groups
                ],
            }
        )


class EvaluationInputSerializer(InputSerializer):
    dossier = serializers.CharField(max_length=40, help_text=_lazy("Mã hồ sơ đã trả kết quả."))
    satisfaction = serializers.ChoiceField(
        choices=Satisfaction.choices,
        help_text=_lazy("Mức độ hài lòng: 1 rất không hài lòng … 5 rất hài lòng."),
    )
    comment = serializers.CharField(
        max_length=COMMENT_LIMIT, required=False, allow_blank=True, default=""
    )

    def get_fields(self):
        fields = super().get_fields()
        for name, label in INDICATORS:
            fields[name] = serializers.IntegerField(
                min_value=0,
                max_value=FULL_SCORE,
                required=False,
                allow_null=True,
                help_text=label,
            )
        return fields


class EvaluationSerializer(serializers.ModelSerializer):
    dossier = serializers.CharField(source="dossier.code")
    # A plain string in the schema: "channel" already names the dossier's channel enum there.
    channel = serializers.CharField(help_text=_lazy("tablet, phone hoặc api."))
    counter = serializers.IntegerField(source="counter.number", allow_null=True, default=None)

    class Meta:
        model = Evaluation
        fields = ["id", "dossier", "at", "channel", "satisfaction", *INDICATOR_NAMES, "comment"]
        fields.insert(-1, "counter")
        read_only_fields = fields


class EvaluationCreateView(APIView):
    """Record the citizen's evaluation of a returned dossier, once (an evaluation tablet with
    `Authorization: Device <key>`, or the ward's staff for another system). 409 when the dossier
    is not returned or already evaluated; 404 for a dossier outside the caller's ward."""

    authentication_classes = AUTHENTICATION
    permission_classes = [StaffOrDevice]
    device_kinds = (Device.Kind.EVALUATION,)

    @extend_schema(
        request=EvaluationInputSerializer,
        responses={
            201: EvaluationSerializer,
            400: FIELD_ERRORS,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: OpenApiResponse(
                DetailSerializer, description=_lazy("Hồ sơ chưa trả kết quả, hoặc đã đánh giá.")
            ),
        },
    )
    def post(self, request):
        data = EvaluationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        ward_id = _ward_of(request)
        dossier = Dossier.objects.get(ward_id=ward_id, code=values["dossier"].strip())
        device = request.auth if isinstance(request.auth, Device) else None
        evaluation = evaluation_submit(
            dossier=dossier,
            channel=EvaluationChannel.API,
            satisfaction=int(values["satisfaction"]),
            scores={name: values.get(name) for name in INDICATOR_NAMES},
            comment=values["comment"],
            device=device,
            user=None if device else request.user,
        )
        return Response(EvaluationSerializer(evaluation).data, status.HTTP_201_CREATED)
