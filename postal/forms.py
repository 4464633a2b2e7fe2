"""Forms of the postal back office: they validate input; the services decide."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intake.forms.receive import ReceiveForm
from intake.models import Procedure
from intake.services import PaperState, paper_dates_errors
from onestop.forms import PrintableTextMixin
from onestop.models import User
from postal.models import DataEntryBatch, GuidanceSession, Shift, TaskType
from postal.selectors import postal_procedures, postal_workers_for_user, ward_counters
from postal.services.accounts import account_input_errors
from postal.services.data_entry import batch_latest
from postal.weeks import parse_week
from wards.models import Counter


class WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class CounterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Counter) -> str:
        return f"{obj.number} – {obj.name}"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _ward_workers(user: User):
    return postal_workers_for_user(user=user).filter(ward_id=user.ward_id)


class WeekForm(forms.Form):
    """`?tuan=2026-W11`: which week the grid shows."""

    tuan = forms.CharField(required=False)

    def monday(self, default: dt.date) -> dt.date:
        value = (self.data.get("tuan") or "").strip()
        if not value:
            return default
        try:
            return parse_week(value)
        except ValueError:
            return default


class AssignmentForm(PrintableTextMixin, forms.Form):
    free_text_fields = ("note",)
    worker = WorkerChoiceField(
        label=_("Nhân viên"),
        queryset=User.objects.none(),
        empty_label=_("— Chọn nhân viên —"),
        error_messages={"required": _("Chọn nhân viên."), "invalid_choice": _("Chọn nhân viên.")},
    )
    date = forms.DateField(
        label=_("Ngày"),
        widget=DateInput(),
        error_messages={"required": _("Chọn ngày."), "invalid": _("Ngày không hợp lệ.")},
    )
    shift = forms.ChoiceField(label=_("Ca"), choices=Shift.choices)
    task_type = forms.ChoiceField(
        label=_("Nhiệm vụ"),
        choices=TaskType.choices,
        error_messages={"required": _("Chọn nhiệm vụ.")},
    )
    counter = CounterChoiceField(
        label=_("Quầy"),
        queryset=Counter.objects.none(),
        required=False,
        empty_label=_("— không ngồi quầy —"),
        error_messages={"invalid_choice": _("Quầy không thuộc phường hoặc đã ngừng hoạt động.")},
    )
    note = forms.CharField(
        label=_("Ghi chú"),
        max_length=300,
        required=False,
        help_text=_("Bắt buộc khi điều chỉnh phân công của ngày đã qua."),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = _ward_workers(user)
        self.fields["counter"].queryset = ward_counters(user=user)


class CancelForm(PrintableTextMixin, forms.Form):
    free_text_fields = ("note",)
    note = forms.CharField(
        label=_("Lý do huỷ"),
        max_length=300,
        error_messages={"required": _("Ghi lý do huỷ phân công.")},
    )


class GrantForm(forms.Form):
    worker = WorkerChoiceField(
        label=_("Nhân viên"), queryset=User.objects.none(), empty_label=_("— Chọn nhân viên —")
    )
    procedure = forms.ModelChoiceField(
        label=_("Thủ tục"),
        queryset=Procedure.objects.none(),
        empty_label=_("— Chọn thủ tục —"),
        error_messages={
            "invalid_choice": _("Thủ tục không thuộc danh mục tiếp nhận qua bưu điện.")
        },
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = _ward_workers(user)
        self.fields["procedure"].queryset = postal_procedures(user=user)
        self.fields["procedure"].label_from_instance = _grantable_label


def _grantable_label(procedure: Procedure) -> str:
    if procedure.processing_days is None:
        return _("%(procedure)s (chưa xác minh thời hạn: chưa giao được)") % {
            "procedure": procedure
        }
    return str(procedure)


class RevokeForm(forms.Form):
    note = forms.CharField(label=_("Lý do thu hồi"), max_length=300, required=False)


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Nhận xét của trưởng bộ phận"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("Ghi nhận xét khi xem xét hồ sơ.")},
    )


class BatchForm(forms.Form):
    title = forms.CharField(
        label=_("Tên lô"), max_length=200, error_messages={"required": _("Đặt tên cho lô.")}
    )
    paper_count = forms.IntegerField(
        label=_("Số hồ sơ giấy"),
        min_value=1,
        max_value=10_000,
        error_messages={
            "required": _("Nhập số hồ sơ giấy."),
            "min_value": _("Số hồ sơ giấy phải từ 1 trở lên."),
        },
    )
    assigned_to = WorkerChoiceField(
        label=_("Người nhập"),
        queryset=User.objects.none(),
        empty_label=_("— Chọn người nhập —"),
        error_messages={"required": _("Chọn người nhập.")},
    )
    due_date = forms.DateField(label=_("Hạn hoàn thành"), required=False, widget=DateInput())
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = _ward_workers(user)


class BatchCloseForm(forms.Form):
    cancel = forms.BooleanField(required=False)


class DataEntryForm(ReceiveForm):
    """The intake form in data-entry mode: the paper receipt's number and original time."""

    original_receipt_number = forms.CharField(
        label=_("Số giấy tiếp nhận gốc"),
        max_length=40,
        error_messages={"required": _("Nhập số giấy tiếp nhận gốc.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    original_received_at = forms.DateTimeField(
        label=_("Thời điểm tiếp nhận gốc"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": _("Nhập thời điểm tiếp nhận gốc."),
            "invalid": _("Thời điểm không hợp lệ (ngày và giờ)."),
        },
    )

    paper_state = forms.ChoiceField(
        label=_("Trạng thái ghi trên hồ sơ giấy"),
        choices=PaperState.choices,
        initial=PaperState.RECEIVED,
        # A client that sends no state enters the paper as received, as before the field existed.
        required=False,
    )
    paper_resolved_at = forms.DateTimeField(
        label=_("Ngày có kết quả (trên hồ sơ giấy)"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Khi hồ sơ đã có kết quả hoặc đã trả."),
        error_messages={"invalid": _("Thời điểm không hợp lệ (ngày và giờ).")},
    )
    paper_returned_at = forms.DateTimeField(
        label=_("Ngày trả kết quả (trên hồ sơ giấy)"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Khi kết quả đã trả cho người dân."),
        error_messages={"invalid": _("Thời điểm không hợp lệ (ngày và giờ).")},
    )

    field_order = [
        "original_receipt_number",
        "original_received_at",
        "paper_state",
        "paper_resolved_at",
        "paper_returned_at",
    ]

    def __init__(self, *args, batch: DataEntryBatch, **kwargs):
        super().__init__(*args, **kwargs)
        self.batch = batch
        # Paper dossiers were received at a counter that may since have closed or changed.
        self.fields["counter"].required = False

    def clean_original_received_at(self):
        value = self.cleaned_data["original_received_at"]
        if value is not None and value >= self.batch.created_at:
            raise ValidationError(
                _("Hồ sơ giấy phải được tiếp nhận trước khi lập lô (%(at)s).")
                % {"at": f"{timezone.localtime(self.batch.created_at):%H:%M %d/%m/%Y}"}
            )
        return value

    def clean_paper_state(self):
        return self.cleaned_data["paper_state"] or PaperState.RECEIVED

    def clean(self):
        data = super().clean()
        if "paper_state" in data:
            for field, message in paper_dates_errors(
                state=data["paper_state"],
                received_at=data.get("original_received_at"),
                resolved_at=data.get("paper_resolved_at"),
                returned_at=data.get("paper_returned_at"),
                latest=batch_latest(self.batch),
            ):
                if field not in self.errors:
                    self.add_error(field, message)
        return data


class GuidanceForm(forms.Form):
    topic = forms.CharField(
        label=_("Nội dung hướng dẫn"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("ví dụ: hỏi giấy tờ đăng ký khai sinh")}),
    )
    procedure = forms.ModelChoiceField(
        label=_("Thủ tục (không bắt buộc)"),
        queryset=Procedure.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("— không gắn thủ tục —"),
    )
    outcome = forms.ChoiceField(
        label=_("Kết quả"),
        choices=GuidanceSession.Outcome.choices,
        initial=GuidanceSession.Outcome.GUIDED,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, user: User, procedures: list[Procedure] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["procedure"]
        field.queryset = Procedure.objects.filter(active=True).order_by("name")
        if procedures is not None:
            # The catalogue the page already read (active, by name): offered as it is, so
            # rendering the form does not read it again. Submitted codes are still checked
            # against the queryset.
            field.widget.choices = [
                ("", field.empty_label),
                *((field.prepare_value(p), field.label_from_instance(p)) for p in procedures),
            ]

    def clean(self):
        data = super().clean()
        if not (data.get("topic") or "").strip() and not data.get("procedure"):
            self.add_error("topic", _("Ghi nội dung hướng dẫn hoặc chọn thủ tục."))
        return data


class AccountForm(PrintableTextMixin, forms.Form):
    free_text_fields = ("post_office_unit",)
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=50,
        help_text=_("Chữ thường không dấu, ví dụ postal3.phuhoa."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    last_name = forms.CharField(label=_("Họ và tên đệm"), max_length=150)
    first_name = forms.CharField(label=_("Tên"), max_length=150)
    post_office_code = forms.CharField(
        label=_("Mã nhân viên bưu điện"), max_length=30, required=False
    )
    post_office_unit = forms.CharField(label=_("Đơn vị bưu điện"), max_length=200, required=False)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    in_ward_since = forms.DateField(
        label=_("Làm việc tại phường từ"), required=False, widget=DateInput()
    )

    def clean(self):
        # Every problem at once, with the services' own words (they check again on saving).
        data = super().clean()
        errors = account_input_errors(
            username=data.get("username", "") if "username" in self.fields else None,
            last_name=data.get("last_name", ""),
            first_name=data.get("first_name", ""),
            phone=data.get("phone", ""),
        )
        for field, message in errors.items():
            if field not in self.errors:  # "required" already said it
                self.add_error(field, message)
        return data


class ProfileForm(AccountForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["username"]


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Lý do"), max_length=300, required=False)


class UnlockForm(forms.Form):
    address = forms.GenericIPAddressField(label=_("Địa chỉ"), required=False)


class CounterForm(PrintableTextMixin, forms.Form):
    number = forms.IntegerField(label=_("Số quầy"), min_value=1, max_value=999)
    name = forms.CharField(label=_("Tên quầy"), max_length=100)
    kind = forms.ChoiceField(label=_("Loại quầy"), choices=Counter.Kind.choices)
    has_computer = forms.BooleanField(label=_("Có máy tính"), required=False, initial=True)
    has_signage = forms.BooleanField(label=_("Có biển hiệu"), required=False, initial=True)
    active = forms.BooleanField(label=_("Đang hoạt động"), required=False, initial=True)
