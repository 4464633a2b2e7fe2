"""Dossiers as the API shows them, and what a client sends to receive one or take a step."""

from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from intake.api.serializers.fields import (
    AwareDateTimeField,
    CharField,
    ChoiceField,
    CounterNumberField,
    CounterRefSerializer,
    EmailField,
    InputSerializer,
    IntegerField,
    MaskedField,
)
from intake.api.serializers.procedures import ComponentSerializer
from intake.lifecycle import POSTAL_ACTIONS, Action, actions_for
from intake.models import (
    Channel,
    Dossier,
    DossierEvent,
    NotifyConsent,
    Procedure,
    ReturnMethod,
    Satisfaction,
    Status,
    Timeliness,
)
from intake.selectors import procedure_for_user
from intake.services.rating import RATE_ACTION, RATE_LABEL
from intake.validators import normalize_phone, validate_citizen_id
from onestop.api.serializers import WardRefSerializer
from wards.scope import working_ward_id

# The lifecycle steps a client takes through /transitions/; receiving has its own endpoint and
# the postal steps belong to deliveries.
API_ACTIONS = [
    action for action in Action if action != Action.RECEIVE and action not in POSTAL_ACTIONS
]


def _blank_until_set(model, name: str, choices) -> serializers.ChoiceField:
    """A read-only choice that reads "" until it applies (timeliness before the result).

    ModelSerializer drops `allow_blank` from read-only fields, and the schema would then refuse
    the "" the API really returns."""
    label = capfirst(model._meta.get_field(name).verbose_name)
    return serializers.ChoiceField(choices=choices, allow_blank=True, read_only=True, label=label)


class DossierListSerializer(serializers.ModelSerializer):
    """A row of the dossier list; the citizen ID and phone show their last three digits."""

    ward = WardRefSerializer()
    applicant_id_number = MaskedField()
    applicant_phone = MaskedField()
    due_at = serializers.DateTimeField(read_only=True)
    timeliness = _blank_until_set(Dossier, "timeliness", Timeliness.choices)

    class Meta:
        model = Dossier
        fields = [
            "code",
            "ward",
            "procedure_code",
            "procedure_name",
            "level",
            "channel",
            "status",
            "national_status",
            "receiver_kind",
            "out_of_list",
            "applicant_name",
            "applicant_id_number",
            "applicant_phone",
            "received_at",
            "appointment_at",
            "apology_appointment_at",
            "due_at",
            "resolved_at",
            "timeliness",
            "returned_at",
        ]
        read_only_fields = fields


class DossierSerializer(serializers.ModelSerializer):
    """A dossier in full, personal data included, with the steps the caller may take now."""

    ward = WardRefSerializer()
    counter = CounterRefSerializer(allow_null=True)
    components = ComponentSerializer(many=True)
    received_by = serializers.CharField(source="received_by.get_full_name")
    returned_by = serializers.CharField(
        source="returned_by.get_full_name", allow_null=True, default=None
    )
    due_at = serializers.DateTimeField()
    # Optional on the form, so often "": not the schema's `format: email`.
    applicant_email = serializers.CharField(
        read_only=True, label=capfirst(Dossier._meta.get_field("applicant_email").verbose_name)
    )
    timeliness = _blank_until_set(Dossier, "timeliness", Timeliness.choices)
    return_method = _blank_until_set(Dossier, "return_method", ReturnMethod.choices)
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Dossier
        fields = [
            "code",
            "ward",
            "counter",
            "procedure_code",
            "procedure_name",
            "processing_days",
            "term_unit",
            "fee",
            "level",
            "resolving_agency",
            "channel",
            "status",
            "national_status",
            "receiver_kind",
            "out_of_list",
            "applicant_name",
            "applicant_id_number",
            "applicant_phone",
            "applicant_address",
            "applicant_email",
            "notify_consent",
            "components",
            "sets",
            "received_at",
            "received_by",
            "appointment_at",
            "apology_appointment_at",
            "due_at",
            "supplement_count",
            "paused_since",
            "paused_seconds",
            "resolved_at",
            "timeliness",
            "returned_at",
            "returned_by",
            "return_method",
            "satisfaction",
            "notes",
            "allowed_actions",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=[a.value for a in API_ACTIONS]))
    )
    def get_allowed_actions(self, dossier: Dossier) -> list[str]:
        user = self.context["request"].user
        # A ward user reads only their own ward's dossiers, so one who works in a ward may act
        # on any dossier they can read; city admins read but never act.
        if working_ward_id(user) is None:
            return []
        return [
            a.value
            for a in actions_for(user.role, dossier.status, dossier.received_at)
            if a in API_ACTIONS
        ]


class DossierEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.get_full_name", allow_null=True, default=None)
    action_label = serializers.SerializerMethodField()
    counter = serializers.IntegerField(source="counter.number", allow_null=True, default=None)
    from_status = _blank_until_set(DossierEvent, "from_status", Status.choices)

    class Meta:
        model = DossierEvent
        fields = [
            "at",
            "action",
            "action_label",
            "actor",
            "actor_role",
            "from_status",
            "to_status",
            "note",
            "counter",
            "from_unit",
            "to_unit",
            "appointment_at",
        ]
        read_only_fields = fields

    def get_action_label(self, event: DossierEvent) -> str:
        try:
            return str(Action(event.action).label)
        except ValueError:
            return str(RATE_LABEL) if event.action == RATE_ACTION else event.action


class ComponentInputSerializer(InputSerializer):
    name = CharField(max_length=300)
    originals = IntegerField(min_value=0, max_value=99)
    copies = IntegerField(min_value=0, max_value=99)


class DossierCreateSerializer(InputSerializer):
    """What a counter records when it receives a dossier; checked as the intake form checks it."""

    procedure = CharField(max_length=20, help_text=_("Mã thủ tục, ví dụ 1.001193."))
    channel = ChoiceField(choices=Channel.choices)
    applicant_name = CharField(max_length=200)
    applicant_id_number = CharField(max_length=20, help_text=_("Số CCCD, 12 chữ số."))
    applicant_phone = CharField(max_length=20, required=False, allow_blank=True, default="")
    applicant_address = CharField(max_length=300)
    applicant_email = EmailField(max_length=254, required=False, allow_blank=True, default="")
    notify_consent = ChoiceField(
        choices=NotifyConsent.choices,
        default=NotifyConsent.NONE,
        help_text=_("Cách người nộp đồng ý nhận thông báo về hồ sơ; mặc định là không nhận."),
    )
    components = ComponentInputSerializer(
        many=True,
        required=False,
        max_length=50,
        help_text=_("Mặc định là thành phần hồ sơ của thủ tục trong danh mục."),
    )
    sets = IntegerField(min_value=1, max_value=99, default=1)
    counter = CounterNumberField(help_text=_("Số quầy tiếp nhận trong phường của bạn."))
    notes = CharField(max_length=2000, required=False, allow_blank=True, default="")

    default_error_messages = {
        "unknown_procedure": _("Không có thủ tục mã “{code}” đang áp dụng trong danh mục."),
    }

    def validate_procedure(self, code: str) -> Procedure:
        try:
            return procedure_for_user(user=self.context["request"].user, code=code)
        except Procedure.DoesNotExist:
            raise serializers.ValidationError(
                self.error_messages["unknown_procedure"].format(code=code), code="unknown"
            ) from None

    def validate_applicant_id_number(self, value: str) -> str:
        return validate_citizen_id(value)

    def validate_applicant_phone(self, value: str) -> str:
        return normalize_phone(value) if value else ""


class ReceiptSerializer(serializers.Serializer):
    """The answer to intake; the lookup PIN is given here once and is empty on a repeat."""

    code = serializers.CharField(source="dossier.code")
    status = serializers.CharField(source="dossier.status")
    received_at = serializers.DateTimeField(source="dossier.received_at")
    appointment_at = serializers.DateTimeField(source="dossier.appointment_at")
    lookup_pin = serializers.CharField(
        help_text=_("Mã tra cứu của công dân; chỉ trả về một lần, rỗng khi gửi lặp lại.")
    )


class ActionField(ChoiceField):
    def __init__(self, **kwargs):
        names = ", ".join(action.value for action in API_ACTIONS)
        super().__init__(
            choices=[(action.value, action.label) for action in API_ACTIONS],
            error_messages={
                "invalid_choice": format_lazy(
                    "{}{}.", _("“{input}” không phải thao tác hợp lệ. Các thao tác: "), names
                )
            },
            **kwargs,
        )


class DossierTransitionSerializer(InputSerializer):
    action = ActionField()
    note = CharField(max_length=2000, required=False, allow_blank=True, default="")
    new_appointment_at = AwareDateTimeField(
        required=False, allow_null=True, help_text=_("Ngày hẹn mới (chỉ với apologise).")
    )
    collector_id_number = CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Số CCCD người nhận kết quả (với return)."),
    )
    satisfaction = ChoiceField(
        choices=Satisfaction.choices,
        required=False,
        allow_null=True,
        help_text=_("Mức độ hài lòng 1–5 (với return)."),
    )
    counter = CounterNumberField(help_text=_("Số quầy thực hiện trong phường của bạn."))
