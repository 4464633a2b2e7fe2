"""What every endpoint of the postal back office shares: the documented refusals, the longest
date range a list may ask for, people named by username and procedures by code, and the note of a
DELETE."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from intake.api.serializers import CharField, DetailSerializer, InputSerializer
from intake.api.views import FIELD_ERRORS, NOT_FOUND
from intake.models import Procedure
from intake.selectors import procedure_for_user
from postal.selectors import postal_workers_for_user
from wards.scope import working_ward_id

FORBIDDEN = OpenApiResponse(
    DetailSerializer, description=_("Chưa đăng nhập, hoặc vai trò không được làm việc này.")
)
CONFLICT = OpenApiResponse(
    DetailSerializer,
    description=_("Trùng phân công (nêu rõ phân công đã có), hoặc trạng thái không cho phép."),
)
# What a write may answer besides its success.
WRITE_ERRORS = {
    400: FIELD_ERRORS,
    403: FORBIDDEN,
    404: NOT_FOUND,
    409: CONFLICT,
}
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


def delete_note(request) -> str:
    """The note of a DELETE: from a JSON body, a form, or `?note=`."""
    data = request.data if isinstance(request.data, dict) else {}
    if "note" not in data and "note" in request.query_params:
        data = {"note": request.query_params["note"]}
    note = NoteSerializer(data=data)
    note.is_valid(raise_exception=True)
    return note.validated_data["note"]
