"""Query parameters of the dossier list, checked before they reach the selector.

The page and the API filter the same way: both hand `intake.selectors.DossierFilters` to
`dossier_list`. Here a serializer turns the query string into that dataclass, or answers 400
naming each bad parameter.
"""

import datetime as dt

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from intake.api.serializers import (
    BooleanField,
    CharField,
    ChoiceField,
    DateField,
    InputSerializer,
    SlugField,
)
from intake.models import Channel, ReceiverKind, Status, Timeliness
from intake.selectors import DossierFilters

DAY_FORMAT = "%Y-%m-%d"
# Days the list can be filtered by: any a dossier may carry, and far from the calendar's ends,
# where "the day after" or a time zone shift would overflow.
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2999, 12, 31)


def _choice(choices, help_text):
    return ChoiceField(choices=choices, required=False, allow_blank=True, help_text=help_text)


class DossierFilterSerializer(InputSerializer):
    status = _choice(Status.choices, _("Trạng thái hồ sơ."))
    procedure = CharField(
        required=False, allow_blank=True, max_length=20, help_text=_("Mã thủ tục, ví dụ 1.001193.")
    )
    channel = ChoiceField(
        choices=Channel.choices,
        required=False,
        allow_null=True,
        help_text=_("Kênh nộp: 1 trực tiếp, 2 trực tuyến, 3 bưu chính công ích."),
    )
    receiver_kind = _choice(
        ReceiverKind.choices, _("Người tiếp nhận là nhân viên bưu điện hay công chức.")
    )
    due_soon = BooleanField(
        required=False, help_text=_("Chỉ hồ sơ chưa xong, đến hạn trong 2 ngày làm việc.")
    )
    overdue = BooleanField(required=False, help_text=_("Chỉ hồ sơ chưa xong và đã quá hạn."))
    received_from = DateField(
        required=False,
        allow_null=True,
        input_formats=[DAY_FORMAT],
        help_text=_("Tiếp nhận từ ngày (YYYY-MM-DD)."),
    )
    received_to = DateField(
        required=False,
        allow_null=True,
        input_formats=[DAY_FORMAT],
        help_text=_("Tiếp nhận đến hết ngày (YYYY-MM-DD)."),
    )
    ward = SlugField(
        required=False, allow_blank=True, max_length=50, help_text=_("Phường (tên không dấu).")
    )
    out_of_list = BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("true: chỉ hồ sơ tiếp nhận ngoài danh mục; false: chỉ hồ sơ trong danh mục."),
    )
    timeliness = _choice(Timeliness.choices, _("Tiến độ giải quyết."))
    q = CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text=_("Mã hồ sơ, số CCCD, hoặc họ tên người nộp (không cần dấu)."),
    )

    def _day_in_range(self, day: dt.date | None) -> dt.date | None:
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise serializers.ValidationError(
                _("Ngày phải trong khoảng %(first)s – %(last)s.")
                % {"first": f"{FIRST_DAY:%d/%m/%Y}", "last": f"{LAST_DAY:%d/%m/%Y}"}
            )
        return day

    def validate_received_from(self, day):
        return self._day_in_range(day)

    def validate_received_to(self, day):
        return self._day_in_range(day)

    def validate(self, attrs):
        start, end = attrs.get("received_from"), attrs.get("received_to")
        if start and end and start > end:
            raise serializers.ValidationError(
                {"received_to": [_("Ngày kết thúc phải từ ngày bắt đầu trở đi.")]}
            )
        return attrs

    def filters(self) -> DossierFilters:
        data = {key: value for key, value in self.validated_data.items() if value is not None}
        data["out_of_list"] = self.validated_data.get("out_of_list")
        return DossierFilters(**data)
