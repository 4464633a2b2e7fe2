"""Forms of the dossier list, the lifecycle steps on the detail page and the result return."""

import re
import uuid

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from intake.forms.card import payload_elsewhere, take_card
from intake.forms.report_filters import ReportFilterFields
from intake.lifecycle import POSTAL_ACTIONS, Action
from intake.models import Channel, ReceiverKind, Satisfaction, Status, Timeliness
from intake.selectors import DossierFilters, procedures_for_user
from onestop.forms import (
    RenderedOnceCheckboxInput,
    RenderedOnceHiddenInput,
    RenderedOnceSelect,
)
from onestop.models import Role, User
from wards.scope import visible_wards

DATE_FORMATS = ["%d/%m/%Y"]
DATE_HINT = _("dd/mm/yyyy")
PAGE_SIZE = 50

# Receiving is its own form, the return has its own page and postal deliveries their own slips;
# every other step is taken from the dossier's detail page.
PAGE_STEPS = [
    a for a in Action if a not in (Action.RECEIVE, Action.RETURN) and a not in POSTAL_ACTIONS
]


def _date_input():
    return forms.TextInput(attrs={"placeholder": DATE_HINT, "inputmode": "numeric", "size": 10})


class DossierFilterForm(ReportFilterFields, forms.Form):
    """The dossier list's query string. Invalid values are reported and left out of the filter."""

    q = forms.CharField(
        label=_("Tìm kiếm"),
        required=False,
        max_length=100,
        help_text=_(
            "Mã hồ sơ (đủ hoặc phần cuối, ví dụ 261208-0001), số CCCD, hoặc họ tên người nộp "
            "(có dấu hay không dấu)."
        ),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    # The selects and hidden inputs are the same few HTML strings page after page: drawn once.
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Tất cả")), *Status.choices],
        widget=RenderedOnceSelect,
    )
    procedure = forms.ChoiceField(label=_("Thủ tục"), required=False, widget=RenderedOnceSelect)
    channel = forms.TypedChoiceField(
        label=_("Kênh nộp"),
        required=False,
        choices=[("", _("Tất cả")), *Channel.choices],
        coerce=int,
        empty_value=None,
        widget=RenderedOnceSelect,
    )
    receiver_kind = forms.ChoiceField(
        label=_("Người tiếp nhận"),
        required=False,
        choices=[("", _("Tất cả")), *ReceiverKind.choices],
        widget=RenderedOnceSelect,
    )
    timeliness = forms.ChoiceField(
        label=_("Tiến độ giải quyết"),
        required=False,
        choices=[("", _("Tất cả")), *Timeliness.choices],
        widget=RenderedOnceSelect,
    )
    out_of_list = forms.TypedChoiceField(
        label=_("Danh mục"),
        required=False,
        choices=[("", _("Tất cả")), ("1", _("Ngoài danh mục")), ("0", _("Trong danh mục"))],
        coerce=lambda value: value == "1",
        empty_value=None,
        widget=RenderedOnceSelect,
    )
    received_from = forms.DateField(
        label=_("Tiếp nhận từ ngày"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=_date_input(),
        error_messages={"invalid": _("Nhập ngày theo dạng dd/mm/yyyy, ví dụ 05/03/2026.")},
    )
    received_to = forms.DateField(
        label=_("đến ngày"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=_date_input(),
        error_messages={"invalid": _("Nhập ngày theo dạng dd/mm/yyyy, ví dụ 31/03/2026.")},
    )
    due_soon = forms.BooleanField(
        label=_("Đến hạn trong 2 ngày làm việc"), required=False, widget=RenderedOnceCheckboxInput
    )
    overdue = forms.BooleanField(
        label=_("Quá hạn"), required=False, widget=RenderedOnceCheckboxInput
    )
    ward = forms.ChoiceField(label=_("Phường"), required=False, widget=RenderedOnceSelect)
    page = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=100_000,
        widget=RenderedOnceHiddenInput,
        error_messages={"invalid": _("Số trang không hợp lệ.")},
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        catalogue = procedures_for_user(user=user, include_inactive=True).values_list(
            "code", "name"
        )
        self.fields["procedure"].choices = [
            ("", _("Tất cả")),
            *((code, f"{code} – {name}") for code, name in catalogue),
        ]
        if user.role == Role.CITY_ADMIN or user.is_superuser:
            self.fields["ward"].choices = [
                ("", _("Mọi phường")),
                *((slug, f"{kind} {name}") for slug, kind, name in _ward_choices(user)),
            ]
        else:
            del self.fields["ward"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("received_from"), cleaned.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", _("Ngày kết thúc phải từ ngày bắt đầu trở đi."))
            cleaned.pop("received_to", None)
        return cleaned

    def filters(self) -> DossierFilters:
        """The valid part of the query as the selector's filters (call after is_valid())."""
        data = {k: v for k, v in self.cleaned_data.items() if k != "page"}
        values = {
            name: data[name]
            for name in DossierFilters.__dataclass_fields__
            if name in data and data[name] is not None
        }
        return DossierFilters(**values)

    @property
    def page_number(self) -> int:
        return self.cleaned_data.get("page") or 1

    @property
    def has_filters(self) -> bool:
        return any(
            value not in ("", None, False, [])
            for name, value in self.cleaned_data.items()
            if name != "page"
        )


def _ward_choices(user: User):
    return visible_wards(user).order_by("name").values_list("slug", "kind", "name")


class AppointmentField(forms.DateTimeField):
    """A new appointment typed as dd/mm/yyyy hh:mm; a date alone means 17:00 that day."""

    input_formats = ["%d/%m/%Y %H:%M", "%d/%m/%Y"]

    def to_python(self, value):
        if isinstance(value, str):
            value = " ".join(value.split())
            if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", value):
                value = f"{value} 17:00"
        return super().to_python(value)


NOTE_LABELS = {
    Action.REQUEST_SUPPLEMENT: _("Giấy tờ cần bổ sung, hoàn thiện"),
    Action.REFUSE: _("Lý do từ chối"),
    Action.STOP: _("Lý do dừng giải quyết"),
    Action.APOLOGISE: _("Lý do chậm trễ"),
    Action.WITHDRAW: _("Lý do rút hồ sơ"),
}
NOTE_REQUIRED = {Action.REQUEST_SUPPLEMENT, Action.REFUSE, Action.STOP, Action.APOLOGISE}


class StepForm(forms.Form):
    """One lifecycle step from the detail page. The service decides whether it is allowed.

    `request_id` is rendered with the form, so a second click on the same form is recognised
    by the service and applied once.
    """

    request_id = forms.UUIDField(widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=[(a.value, a.label) for a in PAGE_STEPS])
    note = forms.CharField(
        label=_("Ghi chú"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    new_appointment_at = AppointmentField(
        label=_("Ngày hẹn trả mới"),
        required=False,
        help_text=_("dd/mm/yyyy hh:mm; chỉ nhập ngày thì hẹn 17:00 ngày đó."),
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy hh:mm", "size": 16}),
        error_messages={"invalid": _("Nhập ngày giờ theo dạng dd/mm/yyyy hh:mm.")},
    )

    def __init__(self, *args, action: str | None = None, **kwargs):
        action = action or (args[0].get("action") if args and args[0] else None)
        kwargs.setdefault("auto_id", f"id_{action or 'step'}_%s")
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("request_id", uuid.uuid4())
        kwargs["initial"].setdefault("action", action)
        super().__init__(*args, **kwargs)
        self.fields["action"].widget = forms.HiddenInput()
        self.step = Action(action) if action in Action.values else None
        if self.step in NOTE_LABELS:
            self.fields["note"].label = NOTE_LABELS[self.step]
        if self.step in NOTE_REQUIRED:
            self.fields["note"].widget.attrs["required"] = True
        if self.step != Action.APOLOGISE:
            del self.fields["new_appointment_at"]

    @property
    def label(self) -> str:
        return self.step.label if self.step else ""


ID_NUMBER = RegexValidator(r"^(\d{9}|\d{12})$", _("Số CCCD gồm 12 chữ số (hoặc CMND cũ 9 chữ số)."))


class ReturnLookupForm(forms.Form):
    """The code typed or scanned at the return counter."""

    code = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=200,
        error_messages={"required": _("Nhập hoặc quét mã hồ sơ.")},
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "off", "spellcheck": "false"}
        ),
    )

    def clean_code(self):
        return normalise_code(self.cleaned_data["code"])


CODE_IN_TEXT = re.compile(r"[\w.]+-\d{6}-\d{4,5}")


def normalise_code(text: str) -> str:
    """A dossier code from what a person typed or a scanner sent (spaces, lower case, a URL)."""
    text = "".join(text.split()).upper()
    found = CODE_IN_TEXT.search(text)
    return found.group(0) if found else text[:40]


SATISFACTION_CHOICES = [
    ("", _("Không đánh giá")),
    *sorted(Satisfaction.choices, key=lambda choice: -choice[0]),
]


class ReturnForm(forms.Form):
    """Recording the hand-over of a result at the counter."""

    code = forms.CharField(max_length=40, widget=forms.HiddenInput)
    request_id = forms.UUIDField(widget=forms.HiddenInput)
    collector_id_number = forms.CharField(
        label=_("Số CCCD của người nhận kết quả"),
        max_length=12,
        validators=[ID_NUMBER],
        error_messages={"required": _("Nhập số CCCD của người nhận kết quả.")},
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "off",
                "autofocus": True,
                "data-card": "id",
            }
        ),
    )
    note = forms.CharField(
        label=_("Ghi chú"),
        required=False,
        max_length=2000,
        help_text=_("Người nhận thay: ghi họ tên người nhận và giấy ủy quyền."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    satisfaction = forms.TypedChoiceField(
        label=_("Mức độ hài lòng của công dân"),
        required=False,
        choices=SATISFACTION_CHOICES,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
    )

    def __init__(self, data=None, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("request_id", uuid.uuid4())
        kwargs["initial"].setdefault("satisfaction", "")
        self.card_errors: list[str] = []
        if data is not None:
            # The collector's card scanned into the ID field: keep its number only.
            data, self.card_errors = take_card(data, id_field="collector_id_number", fills={})
        super().__init__(data, *args, **kwargs)
        # A browser would cut a scanned payload at maxlength and read no card; the server checks.
        self.fields["collector_id_number"].widget.attrs.pop("maxlength", None)

    def clean(self):
        data = super().clean()
        payload_elsewhere(self, id_field="collector_id_number")
        if self.card_errors:
            self._errors.pop("collector_id_number", None)
            self.add_error("collector_id_number", self.card_errors)
        return data
