import datetime as dt
import re

from django.core.validators import ProhibitNullCharactersValidator
from django.utils import timezone
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.settings import api_settings
from rest_framework.utils.serializer_helpers import ReturnDict
from rest_framework.validators import ProhibitSurrogateCharactersValidator

from intake.lifecycle import POSTAL_ACTIONS, Action, actions_for
from intake.models import (
    Channel,
    Dossier,
    DossierEvent,
    Procedure,
    ReturnMethod,
    Satisfaction,
    Status,
    Timeliness,
)
from intake.selectors import procedure_for_user
from intake.validators import normalize_phone, validate_citizen_id
from onestop.api.serializers import WardRefSerializer
from wards.scope import working_ward_id
from wards.selectors import counters_for_user

NON_FIELD_ERRORS_KEY = api_settings.NON_FIELD_ERRORS_KEY

# How far from today a date given to the API may lie: wide enough for any real dossier, narrow
# enough that working-day arithmetic and the holiday tables stay in their range.
DATE_WINDOW = dt.timedelta(days=3660)

# The lifecycle steps a client takes through /transitions/; receiving has its own endpoint and
# the postal steps belong to deliveries.
API_ACTIONS = [
    action for action in Action if action != Action.RECEIVE and action not in POSTAL_ACTIONS
]


# --- fields that answer in Vietnamese ------------------------------------------------------
# DRF ships only a handful of Vietnamese messages; these are the ones a client of the dossier
# endpoints can meet. Field.__init__ merges `default_error_messages` along the class hierarchy,
# so the validators it builds (length, range) carry these texts too.


class CharField(serializers.CharField):
    default_error_messages = {
        "invalid": _("Phải là một chuỗi ký tự."),
        "blank": _("Trường này không được bỏ trống."),
        "max_length": _("Tối đa {max_length} ký tự."),
        "min_length": _("Tối thiểu {min_length} ký tự."),
        "null": _("Trường này không được là null."),
    }

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for validator in self.validators:
            if isinstance(validator, ProhibitNullCharactersValidator):
                validator.message = _("Không được chứa ký tự NUL.")
            elif isinstance(validator, ProhibitSurrogateCharactersValidator):
                validator.message = _("Không được chứa ký tự thay thế U+{code_point:X}.")


class SlugField(CharField, serializers.SlugField):
    default_error_messages = {
        "invalid": _("Chỉ gồm chữ không dấu, chữ số, gạch dưới hoặc gạch ngang."),
    }


class EmailField(CharField, serializers.EmailField):
    default_error_messages = {"invalid": _("Địa chỉ thư điện tử không hợp lệ.")}


class IntegerField(serializers.IntegerField):
    default_error_messages = {
        "invalid": _("Phải là một số nguyên."),
        "max_value": _("Phải nhỏ hơn hoặc bằng {max_value}."),
        "min_value": _("Phải lớn hơn hoặc bằng {min_value}."),
        "max_string_length": _("Số quá dài."),
        "null": _("Trường này không được là null."),
    }


class BooleanField(serializers.BooleanField):
    default_error_messages = {
        "invalid": _("Phải là true hoặc false."),
        "null": _("Trường này không được là null."),
    }


class ChoiceField(serializers.ChoiceField):
    default_error_messages = {
        "invalid_choice": _("“{input}” không phải giá trị hợp lệ."),
        "null": _("Trường này không được là null."),
    }


class DateField(serializers.DateField):
    default_error_messages = {
        "invalid": _("Ngày sai định dạng; dùng YYYY-MM-DD, ví dụ 2026-03-16."),
        "datetime": _("Cần một ngày, không kèm giờ."),
    }


class DateTimeField(serializers.DateTimeField):
    default_error_messages = {
        "invalid": _("Thời điểm sai định dạng; dùng ISO 8601, ví dụ 2026-03-16T09:00:00+07:00."),
        "date": _("Cần một thời điểm (ngày và giờ), không chỉ ngày."),
        "make_aware": _("Thời điểm không hợp lệ ở múi giờ {timezone}."),
        "overflow": _("Thời điểm ngoài phạm vi cho phép."),
        "null": _("Trường này không được là null."),
    }


class ListSerializer(serializers.ListSerializer):
    default_error_messages = {
        "not_a_list": _("Phải là một danh sách, không phải {input_type}."),
        "empty": _("Danh sách không được rỗng."),
        "max_length": _("Tối đa {max_length} mục."),
        "min_length": _("Tối thiểu {min_length} mục."),
    }


class InputSerializer(serializers.Serializer):
    """A request body or query: refuses what is not an object, in Vietnamese."""

    default_error_messages = {
        "invalid": _("Phải là một đối tượng JSON {{…}}, không phải {datatype}."),
        "null": _("Thiếu dữ liệu."),
    }

    class Meta:
        list_serializer_class = ListSerializer

    @property
    def errors(self):
        errors = super().errors
        # DRF words a missing body ("null") as its own English sentence; say it in Vietnamese.
        if [getattr(e, "code", None) for e in errors.get(NON_FIELD_ERRORS_KEY, [])] == ["null"]:
            detail = ErrorDetail(str(self.error_messages["null"]), code="null")
            return ReturnDict({NON_FIELD_ERRORS_KEY: [detail]}, serializer=self)
        return errors


class ComponentSerializer(serializers.Serializer):
    name = serializers.CharField()
    originals = serializers.IntegerField(min_value=0)
    copies = serializers.IntegerField(min_value=0)


class ProcedureSerializer(serializers.ModelSerializer):
    components = ComponentSerializer(many=True, read_only=True)

    class Meta:
        model = Procedure
        fields = [
            "code",
            "code_is_national",
            "name",
            "field",
            "level",
            "resolving_agency",
            "processing_days",
            "fee",
            "postal_eligible",
            "components",
            "active",
            "effective_from",
            "effective_to",
        ]


class ProcedureSearchSerializer(InputSerializer):
    search = CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text=_("Mã hoặc tên thủ tục, không cần dấu: dang ky khai sinh"),
    )


# --- shared fields ----------------------------------------------------------------------------


class AwareDateTimeField(DateTimeField):
    """An ISO 8601 instant that names its offset, within ten years of today.

    A naive time is refused rather than guessed: the caller's clock may not be Vietnam's.
    """

    default_error_messages = {
        "naive": _("Thời điểm phải ghi rõ múi giờ, ví dụ 2026-03-16T09:00:00+07:00."),
        "range": _("Thời điểm phải trong vòng mười năm so với hôm nay."),
    }
    # "+07:00" typed unencoded into a query string arrives as " 07:00".
    _UNENCODED_PLUS = re.compile(r"(\d\d:\d\d(?::\d\d(?:\.\d+)?)?) (\d\d(?::?\d\d)?)$")

    def to_internal_value(self, value):
        if isinstance(value, str):
            value = self._UNENCODED_PLUS.sub(r"\1+\2", value.strip())
        moment = super().to_internal_value(value)
        if abs(moment - timezone.now()) > DATE_WINDOW:
            self.fail("range")
        return moment

    def enforce_timezone(self, value):
        if timezone.is_naive(value):
            self.fail("naive")
        return super().enforce_timezone(value)


class MaskedField(serializers.CharField):
    """Personal data in lists: only the last three characters show."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        value = str(value or "")
        return "•" * (len(value) - 3) + value[-3:] if len(value) > 3 else "•" * len(value)


class CounterNumberField(IntegerField):
    """A counter given by its number within the caller's ward."""

    default_error_messages = {
        "unknown": _("Phường của bạn không có quầy số {number} đang hoạt động."),
    }

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=32767, required=False, allow_null=True, **kwargs)

    def run_validation(self, data=serializers.empty):
        number = super().run_validation(data)
        if number is None:
            return None
        counter = (
            counters_for_user(user=self.context["request"].user)
            .filter(number=number, active=True)
            .first()
        )
        if counter is None:
            self.fail("unknown", number=number)
        return counter


class CounterRefSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    name = serializers.CharField()


# --- appointment ------------------------------------------------------------------------------


class AppointmentQuerySerializer(InputSerializer):
    received_at = AwareDateTimeField(
        required=False,
        help_text=_("Thời điểm tiếp nhận (ISO 8601 có múi giờ); mặc định là bây giờ."),
    )


class AppointmentSerializer(serializers.Serializer):
    received_at = serializers.DateTimeField()
    appointment_at = serializers.DateTimeField()
    processing_days = serializers.IntegerField()


# --- dossiers -------------------------------------------------------------------------------


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
        return [a.value for a in actions_for(user.role, dossier.status) if a in API_ACTIONS]


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
            return event.action


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


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()
