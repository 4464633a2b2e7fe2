"""The intake form: procedure, components checklist, applicant, channel and counter."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from intake.forms.card import payload_elsewhere, take_card
from intake.models import Channel, NotifyConsent, Procedure
from intake.selectors import procedures_for_user
from intake.validators import normalize_phone, validate_citizen_id
from onestop import clock
from onestop.forms import PrintableTextMixin
from onestop.models import Role, User
from onestop.text import fold
from wards.models import Counter
from wards.selectors import counters_for_user

COMPONENTS_PREFIX = "components"
# Blank lines offered below the catalogue's components for papers it does not list.
EXTRA_LINES = 2
EXTRA_LINES_WITHOUT_CATALOGUE = 4
PICKER_LIMIT = 300

REQUIRED = _("Vui lòng nhập %(field)s.")
# Where the card's fields go when its QR payload is scanned into the ID field (intake/cccd.py).
CARD_FILLS = {"applicant_name": "name", "birth_year": "birth_year", "applicant_address": "address"}


def _required(field: str) -> dict:
    return {"required": REQUIRED % {"field": field}}


class ComponentForm(PrintableTextMixin, forms.Form):
    """One line of the checklist: a paper, whether it was handed in, originals and copies."""

    free_text_fields = ("name",)

    included = forms.BooleanField(label=_("Có nộp"), required=False)
    name = forms.CharField(label=_("Tên giấy tờ"), max_length=300, required=False)
    originals = forms.IntegerField(
        label=_("Bản chính"),
        min_value=0,
        max_value=99,
        initial=1,
        error_messages={
            "required": _("Nhập số bản chính."),
            "invalid": _("Nhập một số."),
            "min_value": _("Không được âm."),
            "max_value": _("Tối đa 99."),
        },
    )
    copies = forms.IntegerField(
        label=_("Bản sao"),
        min_value=0,
        max_value=99,
        initial=0,
        error_messages={
            "required": _("Nhập số bản sao."),
            "invalid": _("Nhập một số."),
            "min_value": _("Không được âm."),
            "max_value": _("Tối đa 99."),
        },
    )
    # A line typed at the counter (not from the catalogue) counts as soon as it has a name.
    free = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        name = (data.get("name") or "").strip()
        data["name"] = name
        if data.get("free"):
            data["included"] = bool(name)
        if data.get("included"):
            if not name:
                self.add_error("name", _("Nhập tên giấy tờ."))
            elif (data.get("originals") or 0) + (data.get("copies") or 0) == 0:
                self.add_error("originals", _("Cần ít nhất một bản chính hoặc bản sao."))
        return data

    @property
    def is_free(self) -> bool:
        """True for a line typed at the counter rather than taken from the catalogue."""
        if self.is_bound:
            return self.fields["free"].to_python(self.data.get(self.add_prefix("free")))
        return bool(self.initial.get("free"))

    def line(self) -> dict | None:
        """The component as the dossier stores it, or None when it was not handed in."""
        data = self.cleaned_data
        if not data.get("included"):
            return None
        return {"name": data["name"], "originals": data["originals"], "copies": data["copies"]}


class BaseComponentFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not self.lines():
            raise ValidationError(_("Hồ sơ phải có ít nhất một thành phần."), code="empty")

    def lines(self) -> list[dict]:
        return [line for form in self.forms if (line := form.line()) is not None]


ComponentFormSet = forms.formset_factory(
    ComponentForm, formset=BaseComponentFormSet, extra=0, max_num=60, absolute_max=60
)


def component_formset(procedure: Procedure | None, data=None) -> ComponentFormSet:
    """The checklist of `procedure` (all its papers ticked) plus blank lines; bound to `data`."""
    if data is not None:
        return ComponentFormSet(data, prefix=COMPONENTS_PREFIX)
    catalogue = list(procedure.components) if procedure is not None else []
    initial = [
        {
            "included": True,
            "name": item.get("name", ""),
            "originals": item.get("originals", 1),
            "copies": item.get("copies", 0),
            "free": False,
        }
        for item in catalogue
    ]
    blanks = EXTRA_LINES if catalogue else EXTRA_LINES_WITHOUT_CATALOGUE
    initial += [{"name": "", "originals": 1, "copies": 0, "free": True}] * blanks
    return ComponentFormSet(initial=initial, prefix=COMPONENTS_PREFIX)


def default_counter(counters: list[Counter], user: User) -> Counter | None:
    """The counter the user most likely sits at: the first of the kind matching their role."""
    kind = Counter.Kind.POSTAL if user.role == Role.POSTAL_WORKER else Counter.Kind.OFFICER
    return next((c for c in counters if c.kind == kind), counters[0] if counters else None)


class ReceiveForm(PrintableTextMixin, forms.Form):
    """Everything the counter types at intake, except the components checklist (a formset)."""

    free_text_fields = ("applicant_address", "notes")

    procedure = forms.ModelChoiceField(
        label=_("Thủ tục"),
        queryset=Procedure.objects.none(),
        to_field_name="code",
        error_messages={
            "required": _("Vui lòng chọn thủ tục."),
            "invalid_choice": _("Thủ tục này không có trong danh mục đang áp dụng."),
        },
    )
    sets = forms.IntegerField(
        label=_("Số bộ hồ sơ"),
        min_value=1,
        max_value=50,
        initial=1,
        error_messages={
            "required": _("Nhập số bộ hồ sơ."),
            "invalid": _("Nhập một số."),
            "min_value": _("Số bộ hồ sơ phải từ 1 trở lên."),
            "max_value": _("Tối đa 50 bộ."),
        },
    )
    applicant_name = forms.CharField(
        label=_("Họ và tên người nộp"), max_length=200, error_messages=_required(_("họ và tên"))
    )
    applicant_id_number = forms.CharField(
        label=_("Số CCCD"),
        max_length=20,
        error_messages=_required(_("số căn cước công dân")),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    birth_year = forms.IntegerField(
        label=_("Năm sinh"),
        required=False,
        min_value=1900,
        error_messages={
            "invalid": _("Năm sinh gồm 4 chữ số."),
            "min_value": _("Năm sinh không hợp lệ."),
        },
        help_text=_("Không bắt buộc; dùng để đối chiếu với số CCCD."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    applicant_phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        error_messages=_required(_("số điện thoại")),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    applicant_address = forms.CharField(
        label=_("Địa chỉ"), max_length=300, error_messages=_required(_("địa chỉ"))
    )
    applicant_email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")},
    )
    notify_consent = forms.ChoiceField(
        label=_("Nhận thông báo về hồ sơ"),
        choices=NotifyConsent.choices,
        initial=NotifyConsent.NONE,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Chỉ gửi khi người nộp đồng ý; tin chỉ ghi mã hồ sơ, tên thủ tục và ngày."),
        error_messages={"invalid_choice": _("Cách nhận thông báo không hợp lệ.")},
    )
    channel = forms.TypedChoiceField(
        label=_("Kênh nộp"),
        choices=Channel.choices,
        coerce=int,
        initial=Channel.DIRECT,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Chọn kênh nộp hồ sơ."),
            "invalid_choice": _("Kênh nộp hồ sơ không hợp lệ."),
        },
    )
    counter = forms.TypedChoiceField(
        label=_("Quầy tiếp nhận"),
        coerce=int,
        error_messages={
            "required": _("Chọn quầy tiếp nhận."),
            "invalid_choice": _("Quầy không thuộc phường của bạn."),
        },
    )
    notes = forms.CharField(
        label=_("Ghi chú"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    request_id = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, data=None, *args, user: User, **kwargs):
        self.card_errors: list[str] = []
        if data is not None:
            data, self.card_errors = take_card(
                data, id_field="applicant_id_number", fills=CARD_FILLS
            )
        super().__init__(data, *args, **kwargs)
        self.user = user
        # The scanner script (static/js/cccd.js) finds the fields a card fills by these marks.
        for name, mark in {"applicant_id_number": "id", **CARD_FILLS}.items():
            self.fields[name].widget.attrs["data-card"] = mark
        # A browser would cut a scanned payload at maxlength and read no card; the server checks.
        self.fields["applicant_id_number"].widget.attrs.pop("maxlength", None)
        self.fields["procedure"].queryset = procedures_for_user(user=user)
        # Evaluated once: the choices, the default and the cleaned value all come from this list.
        self.counters = list(counters_for_user(user=user).filter(active=True).order_by("number"))
        self.fields["counter"].choices = [(c.pk, str(c)) for c in self.counters]
        this_year = clock.now().year
        self.fields["birth_year"].validators.append(
            MaxValueValidator(this_year, message=_("Năm sinh không thể ở tương lai."))
        )
        self.fields["birth_year"].widget.attrs.update(min=1900, max=this_year)
        if not self.is_bound:
            self.initial.setdefault("request_id", uuid.uuid4())
            counter = default_counter(self.counters, user)
            self.initial.setdefault("counter", counter.pk if counter else None)
        self.fields["applicant_name"].widget.attrs["autocomplete"] = "off"
        self.fields["applicant_address"].widget.attrs["autocomplete"] = "off"

    def clean_counter(self) -> Counter | None:
        # Empty only where a subclass makes the counter optional (data entry of paper dossiers).
        pk = self.cleaned_data["counter"]
        return next((c for c in self.counters if c.pk == pk), None)

    def clean_applicant_name(self):
        return " ".join(self.cleaned_data["applicant_name"].split())

    def clean_notify_consent(self):
        return self.cleaned_data["notify_consent"] or NotifyConsent.NONE

    def clean_applicant_phone(self):
        return normalize_phone(self.cleaned_data["applicant_phone"])

    def clean_procedure(self):
        procedure = self.cleaned_data["procedure"]
        if procedure.processing_days is None:
            raise ValidationError(
                _(
                    "Thủ tục chưa xác minh thời hạn giải quyết nên chưa thể hẹn ngày trả; "
                    "đề nghị quản trị thành phố cập nhật danh mục."
                ),
                code="unverified",
            )
        return procedure

    def clean(self):
        data = super().clean()
        payload_elsewhere(self, id_field="applicant_id_number")
        if self.card_errors:
            # The payload's own length or format error would only hide what the card says.
            self._errors.pop("applicant_id_number", None)
            self.add_error("applicant_id_number", self.card_errors)
            return data
        id_number = data.get("applicant_id_number")
        if id_number is not None:
            try:
                data["applicant_id_number"] = validate_citizen_id(
                    id_number, birth_year=data.get("birth_year")
                )
            except ValidationError as error:
                field = "birth_year" if error.code == "birth_year" else "applicant_id_number"
                self.add_error(field, error)
        return data


def _rank(procedure: Procedure, words: str) -> tuple:
    # The code typed in full, then names that start with the words, then shorter names: "khai
    # sinh" puts "Đăng ký khai sinh" before "Liên thông … đăng ký khai sinh, cấp thẻ BHYT …".
    name = fold(procedure.name)
    return (
        procedure.code.lower() != words,
        not name.startswith(words),
        words not in name,
        len(name),
        name,
    )


def picker_choices(*, user: User, search: str, selected: Procedure | None) -> list[Procedure]:
    """The procedures the picker lists, with the chosen one kept in.

    Without a search: the catalogue by field and name. With one: the matches, best first.
    """
    matches = list(procedures_for_user(user=user, search=search)[:PICKER_LIMIT])
    words = fold(search)
    if words:
        matches.sort(key=lambda procedure: _rank(procedure, words))
    if selected is not None and all(p.pk != selected.pk for p in matches):
        matches.insert(0, selected)
    return matches
