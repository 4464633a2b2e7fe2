"""Forms of the hall's pages: the chief's groups and devices, a transfer at the counter."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hall.models import (
    COMMENT_LIMIT,
    FULL_SCORE,
    INDICATORS,
    Device,
    GroupKind,
    ServiceGroup,
)
from intake.models import Satisfaction
from wards.models import Counter


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
