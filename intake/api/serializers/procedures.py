"""The catalogue and the appointment a procedure gives, as the API shows them."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from intake.api.serializers.fields import (
    AwareDateTimeField,
    CharField,
    InputSerializer,
)
from intake.models import (
    Procedure,
)


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
            "term_unit",
            "supplement_window_days",
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
    term_unit = serializers.ChoiceField(choices=Procedure.TermUnit.choices)
