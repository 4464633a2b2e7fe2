"""Forms of the city admin's calendar and ward pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wards.models import CalendarException, Ward

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def _date_input():
    return forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "size": 10})


class CalendarExceptionForm(forms.Form):
    """An extra day off or make-up working day, and the sample intake its preview moves."""

    date = forms.DateField(label=_("Ngày"), input_formats=DATE_FORMATS, widget=_date_input())
    kind = forms.ChoiceField(label=_("Loại"), choices=CalendarException.Kind.choices)
    note = forms.CharField(label=_("Căn cứ, ghi chú"), max_length=200, required=False)
    sample_procedure = forms.ModelChoiceField(
        label=_("Thủ tục để xem trước"),
        queryset=None,  # the samples the view passes in
        required=False,
        to_field_name="code",
    )
    sample_received_at = forms.DateTimeField(
        label=_("Tiếp nhận lúc (xem trước)"),
        required=False,
        input_formats=["%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%dT%H:%M"],
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy hh:mm"}),
    )

    def __init__(self, *args, samples, **kwargs):
        """`samples`: the procedures the preview may take (calendar_preview_samples)."""
        super().__init__(*args, **kwargs)
        self.fields["sample_procedure"].queryset = samples


class WardPilotForm(forms.Form):
    """A ward's pilot phase and the day it started."""

    pilot_phase = forms.TypedChoiceField(
        label=_("Giai đoạn thí điểm"), choices=Ward.PilotPhase.choices, coerce=int
    )
    pilot_started_on = forms.DateField(
        label=_("Ngày bắt đầu thí điểm"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=_date_input(),
    )
    active = forms.BooleanField(label=_("Đang hoạt động"), required=False)
