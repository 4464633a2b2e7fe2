"""Forms of the hall's pages: the chief's groups and devices, a transfer at the counter, the
ticket list's filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hall.models import (
    COMMENT_LIMIT,
    FULL_SCORE,
    INDICATORS,
    Device,
    GroupKind,
    ServiceGroup,
    TicketStatus,
)
from intake.models import ReceiverKind, Satisfaction
from wards.models import Counter, Ward


class GroupForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=GroupKind.choices)
    name = forms.CharField(label=_("Tên trên máy lấy số"), max_length=80)
    field = forms.CharField(
        label=_("Lĩnh vực (nếu tiếp nhận theo lĩnh vực)"), max_length=120, required=False
    )
    first_number = forms.IntegerField(label=_("Số đầu tiên trong ngày"), min_value=1, initial=1)
    counters = forms.ModelMultipleChoiceField(
        label=_("Quầy phục vụ"),
        queryset=Counter.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, counters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counters"].queryset = counters


class GroupCountersForm(forms.Form):
    counters = forms.ModelMultipleChoiceField(
        label=_("Quầy phục vụ"),
        queryset=Counter.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    active = forms.BooleanField(label=_("Đang dùng"), required=False)

    def __init__(self, *args, counters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counters"].queryset = counters


class DeviceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại thiết bị"), choices=Device.Kind.choices)
    name = forms.CharField(label=_("Tên thiết bị"), max_length=80)
    counter = forms.ModelChoiceField(
        label=_("Quầy (máy tính bảng đánh giá)"), queryset=Counter.objects.none(), required=False
    )

    def __init__(self, *args, counters=None, **kwargs):
        super().__init__(*args, **kwargs)
        if counters is not None:
            self.fields["counter"].queryset = counters


class EvaluationForm(forms.Form):
    """The citizen's answers: the five-level satisfaction (required), each indicator 0–2 points
    (optional), a comment."""

    satisfaction = forms.TypedChoiceField(
        label=_("Mức độ hài lòng"),
        choices=Satisfaction.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Chọn mức độ hài lòng của bạn.")},
    )
    comment = forms.CharField(
        label=_("Ý kiến khác (không bắt buộc)"),
        max_length=COMMENT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in INDICATORS:
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                choices=[(n, str(n)) for n in range(FULL_SCORE + 1)],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )

    full_score = FULL_SCORE

    def indicator_fields(self):
        return [self[name] for name, _label in INDICATORS]

    def scores(self) -> dict:
        return {name: self.cleaned_data.get(name) for name, _label in INDICATORS}


class TransferForm(forms.Form):
    group = forms.ModelChoiceField(
        label=_("Chuyển sang nhóm"), queryset=ServiceGroup.objects.none(), required=False
    )
    counter = forms.ModelChoiceField(
        label=_("hoặc sang quầy"), queryset=Counter.objects.none(), required=False
    )

    def __init__(self, *args, groups, counters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["counter"].queryset = counters

    @classmethod
    def shown_with(cls, *, groups: list, counters: list) -> "TransferForm":
        """The unbound form a drawn panel shows, its choices from the lists the panel already
        read (no query of its own); posting it validates against the querysets as usual."""
        form = cls(groups=ServiceGroup.objects.none(), counters=Counter.objects.none())
        for name, items in (("group", groups), ("counter", counters)):
            field = form.fields[name]
            field.choices = [("", field.empty_label), *((item.pk, str(item)) for item in items)]
        return form


class TicketFilterForm(forms.Form):
    """The ticket list's filters, as the reports' and the dashboard's links write them."""

    ward = forms.SlugField(label=_("Phường"), max_length=50, required=False)
    day_from = forms.DateField(label=_("Từ ngày"), required=False)
    day_to = forms.DateField(label=_("Đến ngày"), required=False)
    group = forms.IntegerField(label=_("Nhóm dịch vụ"), min_value=1, required=False)
    counter = forms.IntegerField(label=_("Quầy"), min_value=1, required=False)
    receiver_kind = forms.ChoiceField(
        label=_("Người phục vụ"), choices=[("", "—"), *ReceiverKind.choices], required=False
    )
    pilot_phase = forms.TypedChoiceField(
        label=_("Nhóm phường"),
        choices=[("", "—"), *Ward.PilotPhase.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"), choices=[("", "—"), *TicketStatus.choices], required=False
    )

    def clean(self):
        data = super().clean()
        first, last = data.get("day_from"), data.get("day_to")
        if first and last and first > last:
            self.add_error("day_to", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data
