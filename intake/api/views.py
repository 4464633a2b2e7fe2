import re

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response

from intake.api.filters import DossierFilterSerializer
from intake.api.serializers import (
    AppointmentQuerySerializer,
    AppointmentSerializer,
    DetailSerializer,
    DossierCreateSerializer,
    DossierEventSerializer,
    DossierListSerializer,
    DossierSerializer,
    DossierTransitionSerializer,
    ProcedureSearchSerializer,
    ProcedureSerializer,
    ReceiptSerializer,
)
from intake.models import Dossier
from intake.privacy import personal_data_access_log
from intake.selectors import (
    dossier_events,
    dossier_for_user,
    dossier_list,
    procedure_appointment,
    procedures_for_user,
)
from intake.services import StepInput, dossier_receive, dossier_step
from wards.scope import working_ward_id

FIELD_ERRORS = OpenApiResponse(
    {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        # A list field's errors nest by position: {"components": {"0": {"originals": […]}}}.
        "additionalProperties": {
            "anyOf": [
                {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "object"}]}},
                {"type": "object"},
            ]
        },
    },
    description=_(
        "Dữ liệu không hợp lệ: {tên trường: [thông báo, …]}; lỗi chung ở non_field_errors, "
        "JSON hỏng ở detail."
    ),
)
NOT_FOUND = OpenApiResponse(DetailSerializer, description=_("Không có, hoặc ngoài phạm vi."))
UNAUTHENTICATED = OpenApiResponse(DetailSerializer, description=_("Chưa đăng nhập."))
FORBIDDEN = OpenApiResponse(
    DetailSerializer,
    description=_("Chưa đăng nhập, hoặc vai trò không được thực hiện thao tác này."),
)
CONFLICT = OpenApiResponse(
    DetailSerializer, description=_("Trạng thái hiện tại của hồ sơ không cho phép thao tác này.")
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    pattern=r"^[!-~]{1,40}$",
    description=_(
        "Khóa do máy khách đặt (1–40 ký tự ASCII in được, ví dụ một UUID) để gửi lại an toàn: "
        "yêu cầu lặp lại với cùng khóa không thực hiện thêm lần nữa."
    ),
)
# Idempotency keys are ASCII tokens (a UUID is 36 characters); each user has their own keys.
IDEMPOTENCY_KEY_FORMAT = re.compile(r"^[\x21-\x7e]{1,40}$")


def request_id(request) -> str:
    """The caller's Idempotency-Key as a request id of their own, or "" when none is given."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return ""
    if not IDEMPOTENCY_KEY_FORMAT.match(key):
        raise ValidationError(
            {"Idempotency-Key": [_("Khóa gồm 1–40 ký tự ASCII in được, không có khoảng trắng.")]}
        )
    # Namespaced by user, so one caller's key can never name another caller's dossier.
    return f"api:{request.user.pk}:{key}"


class ActsInOwnWard(BasePermission):
    """Writes are for the staff of the dossier's ward; city admins read across wards only."""

    message = _(
        "Chỉ nhân viên và công chức của phường mới tiếp nhận và xử lý hồ sơ; "
        "quản trị thành phố chỉ xem."
    )

    def has_permission(self, request, view):
        # Detail routes decide on the object, after the scope lookup has answered 404.
        return (
            request.method in SAFE_METHODS
            or getattr(view, "detail", False)
            or working_ward_id(request.user) is not None
        )

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or working_ward_id(request.user) is not None


@extend_schema_view(
    list=extend_schema(
        parameters=[ProcedureSearchSerializer],
        responses={
            200: ProcedureSerializer(many=True),
            400: FIELD_ERRORS,
            403: UNAUTHENTICATED,
        },
    ),
    retrieve=extend_schema(
        responses={200: ProcedureSerializer, 403: UNAUTHENTICATED, 404: NOT_FOUND}
    ),
)
class ProcedureViewSet(viewsets.ReadOnlyModelViewSet):
    """The procedure catalogue; search by code or name, with or without diacritics."""

    serializer_class = ProcedureSerializer
    lookup_field = "code"
    lookup_value_regex = r"[\w.\-]+"
    filter_backends: list = []

    def get_queryset(self):
        search = ""
        if self.action == "list":
            query = ProcedureSearchSerializer(data=self.request.query_params)
            query.is_valid(raise_exception=True)
            search = query.validated_data.get("search", "")
        return procedures_for_user(user=self.request.user, search=search)

    @extend_schema(
        summary=_("Ngày hẹn trả nếu tiếp nhận lúc received_at"),
        parameters=[AppointmentQuerySerializer],
        responses={
            200: AppointmentSerializer,
            400: FIELD_ERRORS,
            403: UNAUTHENTICATED,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get"])
    def appointment(self, request, code=None):
        """The appointment a dossier of this procedure would get, before the citizen files.

        Counted on the working calendar of the caller's city.
        """
        procedure = self.get_object()
        query = AppointmentQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        received_at = query.validated_data.get("received_at") or timezone.now()
        appointment_at = procedure_appointment(
            user=request.user, procedure=procedure, received_at=received_at
        )
        return Response(
            AppointmentSerializer(
                {
                    "received_at": received_at,
                    "appointment_at": appointment_at,
                    "processing_days": procedure.processing_days,
                    "term_unit": procedure.term_unit,
                }
            ).data
        )


@extend_schema_view(
    list=extend_schema(
        summary=_("Danh sách hồ sơ trong phạm vi (CCCD và điện thoại chỉ hiện 3 số cuối)"),
        parameters=[DossierFilterSerializer],
        responses={
            200: DossierListSerializer(many=True),
            400: FIELD_ERRORS,
            403: UNAUTHENTICATED,
        },
    ),
    create=extend_schema(
        summary=_("Tiếp nhận hồ sơ"),
        parameters=[IDEMPOTENCY_KEY],
        request=DossierCreateSerializer,
        examples=[
            OpenApiExample(
                "Khai sinh, nộp trực tiếp",
                request_only=True,
                value={
                    "procedure": "1.001193",
                    "channel": 1,
                    "applicant_name": "Nguyễn Thị Mai",
                    "applicant_id_number": "074190001234",
                    "applicant_phone": "0912345678",
                    "applicant_address": "12 Yersin, phường Phú Hòa",
                    "components": [
                        {"name": "Tờ khai đăng ký khai sinh", "originals": 1, "copies": 0}
                    ],
                    "sets": 1,
                    "counter": 1,
                    "notes": "",
                },
            )
        ],
        responses={
            201: OpenApiResponse(ReceiptSerializer, description=_("Đã tiếp nhận.")),
            200: OpenApiResponse(
                ReceiptSerializer,
                description=_("Yêu cầu lặp lại cùng Idempotency-Key: hồ sơ đã tiếp nhận."),
            ),
            400: FIELD_ERRORS,
            403: FORBIDDEN,
        },
    ),
    retrieve=extend_schema(
        summary=_("Chi tiết hồ sơ"),
        responses={200: DossierSerializer, 403: UNAUTHENTICATED, 404: NOT_FOUND},
    ),
)
class DossierViewSet(viewsets.GenericViewSet):
    """Dossiers in the caller's scope, by code: list, intake, detail, steps and events."""

    lookup_field = "code"
    lookup_value_regex = r"[\w.\-]+"
    permission_classes = [IsAuthenticated, ActsInOwnWard]
    filter_backends: list = []
    serializer_class = DossierSerializer
    queryset = Dossier.objects.none()  # every read goes through a selector that takes the user

    def get_object(self) -> Dossier:
        dossier = dossier_for_user(user=self.request.user, code=self.kwargs["code"])
        self.check_object_permissions(self.request, dossier)
        return dossier

    def get_serializer_class(self):
        # What the browsable API shows as the form for each route.
        return {
            "list": DossierListSerializer,
            "create": DossierCreateSerializer,
            "transitions": DossierTransitionSerializer,
            "events": DossierEventSerializer,
        }.get(self.action, DossierSerializer)

    def _detail(self, dossier: Dossier) -> Response:
        # The answer carries the citizen ID, phone and address: a logged read.
        personal_data_access_log(
            user=self.request.user, dossier=dossier, params={"view": f"api-{self.action}"}
        )
        return Response(DossierSerializer(dossier, context=self.get_serializer_context()).data)

    def list(self, request):
        """The dossiers the caller may read, newest first, filtered as the dossier list page.

        Pages carry `next`/`previous` links and no total count.
        """
        query = DossierFilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        dossiers = dossier_list(user=request.user, filters=query.filters())
        page = self.paginate_queryset(dossiers)
        return self.get_paginated_response(DossierListSerializer(page, many=True).data)

    def create(self, request):
        """Receive a dossier at the caller's ward: its code, appointment and lookup PIN.

        Only ward staff receive; the PIN is in this answer only. With an Idempotency-Key, a
        repeated request answers 200 with the dossier already received and an empty PIN.
        """
        # Read the key first: a malformed key is refused before anything is received.
        rid = request_id(request)
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        receipt = dossier_receive(user=request.user, request_id=rid, **data.validated_data)
        url = reverse("dossier-detail", kwargs={"code": receipt.dossier.code})
        # Only a first receipt carries the PIN; a repeated request finds the dossier it made.
        first = bool(receipt.lookup_pin)
        return Response(
            ReceiptSerializer(receipt).data,
            status=status.HTTP_201_CREATED if first else status.HTTP_200_OK,
            headers={"Location": request.build_absolute_uri(url)},
        )

    def retrieve(self, request, code=None):
        """One dossier in full, personal data included, with the steps the caller may take."""
        return self._detail(self.get_object())

    @extend_schema(
        summary=_("Thực hiện một bước xử lý hồ sơ"),
        parameters=[IDEMPOTENCY_KEY],
        request=DossierTransitionSerializer,
        examples=[
            OpenApiExample("Chuyển xử lý", request_only=True, value={"action": "transfer"}),
            OpenApiExample(
                "Yêu cầu bổ sung",
                request_only=True,
                value={"action": "request_supplement", "note": "Bổ sung giấy chứng sinh."},
            ),
            OpenApiExample(
                "Xin lỗi, hẹn lại",
                request_only=True,
                value={
                    "action": "apologise",
                    "note": "Cần xác minh thêm với cơ quan cấp huyện.",
                    "new_appointment_at": "2026-03-25T16:00:00+07:00",
                },
            ),
            OpenApiExample(
                "Trả kết quả",
                request_only=True,
                value={
                    "action": "return",
                    "collector_id_number": "074190001234",
                    "satisfaction": 5,
                },
            ),
        ],
        responses={
            200: DossierSerializer,
            400: FIELD_ERRORS,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )
    @action(detail=True, methods=["post"])
    def transitions(self, request, code=None):
        """Take one lifecycle step: the same rules as the dossier page's buttons.

        A role that may not take the step answers 403; a state that does not allow it, 409.
        """
        dossier = self.get_object()
        rid = request_id(request)
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        step = data.validated_data
        dossier_step(
            user=request.user,
            code=dossier.code,
            action=step["action"],
            note=step["note"],
            details=StepInput(
                new_appointment_at=step.get("new_appointment_at"),
                collector_id_number=step["collector_id_number"],
                satisfaction=step.get("satisfaction"),
                counter=step.get("counter"),
            ),
            request_id=rid,
        )
        return self._detail(self.get_object())

    @extend_schema(
        summary=_("Nhật ký hồ sơ (Mẫu 05)"),
        responses={
            200: DossierEventSerializer(many=True),
            403: UNAUTHENTICATED,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def events(self, request, code=None):
        """Every event of the dossier, oldest first (a dossier has a handful)."""
        dossier = self.get_object()
        return Response(DossierEventSerializer(dossier_events(dossier=dossier), many=True).data)
