"""The dossier list's filters that report figures link with (reports.selectors.figure_filters).

They travel as hidden inputs, so refining the list keeps the figure's selection, and the list
shows them as a plain sentence above the table.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from intake.models import Channel, ReturnMethod
from onestop.forms import RenderedOnceHiddenInput, RenderedOnceMultipleHiddenInput
from wards.models import Ward

DATE_FORMATS = ["%d/%m/%Y"]
YES_NO = [("1", _("có")), ("0", _("không"))]


def _date(label):
    return forms.DateField(
        label=label, required=False, input_formats=DATE_FORMATS, widget=RenderedOnceHiddenInput
    )


def _yes_no(label):
    return forms.TypedChoiceField(
        label=label,
        required=False,
        choices=YES_NO,
        coerce=lambda value: value == "1",
        empty_value=None,
        widget=RenderedOnceHiddenInput,
    )


class ReportFilterFields(forms.Form):
    """Mixed into the dossier list's filter form; names match `DossierFilters` fields."""

    channels = forms.TypedMultipleChoiceField(
        label=_("Kênh nộp"),
        required=False,
        choices=Channel.choices,
        coerce=int,
        widget=RenderedOnceMultipleHiddenInput,
    )
    pilot_phase = forms.TypedChoiceField(
        label=_("Nhóm phường"),
        required=False,
        choices=Ward.PilotPhase.choices,
        coerce=int,
        empty_value=None,
        widget=RenderedOnceHiddenInput,
    )
    handled_from = _date(_("Nhận giải quyết (kỳ trước chuyển qua hoặc mới nhận) từ ngày"))
    handled_to = _date(_("đến ngày"))
    open_on = _date(_("Chưa giải quyết xong vào cuối ngày"))
    open_overdue = _yes_no(_("Đã quá hạn vào cuối ngày đó"))
    resolved_from = _date(_("Có kết quả từ ngày"))
    resolved_to = _date(_("Có kết quả đến ngày"))
    punctual = _yes_no(_("Đúng hoặc trước hạn"))
    returned_from = _date(_("Trả kết quả từ ngày"))
    returned_to = _date(_("Trả kết quả đến ngày"))
    return_method = forms.ChoiceField(
        label=_("Hình thức trả"),
        required=False,
        choices=[("", ""), *ReturnMethod.choices],
        widget=RenderedOnceHiddenInput,
    )
    closed_from = _date(_("Từ chối hoặc rút từ ngày"))
    closed_to = _date(_("Từ chối hoặc rút đến ngày"))
    satisfied = _yes_no(_("Hài lòng trở lên"))
    digitised = _yes_no(_("Đã số hóa"))
    procedure_field = forms.CharField(
        label=_("Lĩnh vực"), required=False, max_length=100, widget=RenderedOnceHiddenInput
    )

    REPORT_FIELDS = (
        "channels",
        "pilot_phase",
        "handled_from",
        "handled_to",
        "open_on",
        "open_overdue",
        "resolved_from",
        "resolved_to",
        "punctual",
        "returned_from",
        "returned_to",
        "return_method",
        "closed_from",
        "closed_to",
        "satisfied",
        "digitised",
        "procedure_field",
    )

    def report_conditions(self) -> list[tuple[str, str]]:
        """The report filters in force, as (label, value) for the notice above the list."""
        if not hasattr(self, "cleaned_data"):
            return []
        conditions = []
        for name in self.REPORT_FIELDS:
            value = self.cleaned_data.get(name)
            if value in (None, "", []):
                continue
            field = self.fields[name]
            if isinstance(value, bool):
                shown = str(_("có") if value else _("không"))
            elif hasattr(value, "strftime"):
                shown = value.strftime("%d/%m/%Y")
            elif isinstance(value, list):
                labels = dict(field.choices)
                shown = ", ".join(str(labels.get(v, v)) for v in value)
            elif getattr(field, "choices", None):
                shown = str(dict(field.choices).get(value, value))
            else:
                shown = str(value)
            conditions.append((str(field.label), shown))
        return conditions
