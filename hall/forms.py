"""Forms of the hall's pages: the chief's groups and devices, a transfer at the counter."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hall.models import Device, GroupKind, ServiceGroup
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
