"""Fields and base serializers that answer in Vietnamese, shared by every app's API."""

import datetime as dt
import re

from django.core.validators import ProhibitNullCharactersValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.settings import api_settings
from rest_framework.utils.serializer_helpers import ReturnDict
from rest_framework.validators import ProhibitSurrogateCharactersValidator

from wards.selectors import counters_for_user

NON_FIELD_ERRORS_KEY = api_settings.NON_FIELD_ERRORS_KEY

# How far from today a date given to the API may lie: wide enough for any real dossier, narrow
# enough that working-day arithmetic and the holiday tables stay in their range.
DATE_WINDOW = dt.timedelta(days=3660)


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


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()
