"""The report pages' period form."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.errors import InvalidInput
from reports.periods import KINDS, Period, default_period, period_from_query

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
KIND_LABELS = {
    "month": _("Tháng"),
    "quarter": _("Quý"),
    "half": _("6 tháng"),
    "year": _("Năm"),
    "range": _("Từ ngày – đến ngày"),
}


def _date_input():
    return forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "size": 10})


class PeriodForm(forms.Form):
    """The period picker on every report page (a GET form)."""

    period = forms.ChoiceField(label=_("Kỳ báo cáo"), choices=[(k, KIND_LABELS[k]) for k in KINDS])
    year = forms.IntegerField(label=_("Năm"), required=False)
    month = forms.TypedChoiceField(
        label=_("Tháng"),
        required=False,
        coerce=int,
        choices=[(m, f"{m:02d}") for m in range(1, 13)],
    )
    quarter = forms.TypedChoiceField(
        label=_("Quý"),
        required=False,
        coerce=int,
        choices=[(1, "I"), (2, "II"), (3, "III"), (4, "IV")],
    )
    half = forms.TypedChoiceField(
        label=_("Nửa năm"),
        required=False,
        coerce=int,
        choices=[(1, _("6 tháng đầu năm")), (2, _("6 tháng cuối năm"))],
    )
    date_from = forms.CharField(label=_("Từ ngày"), required=False, widget=_date_input())
    date_to = forms.CharField(label=_("Đến ngày"), required=False, widget=_date_input())
    cutoff = forms.BooleanField(
        label=_("Chốt số liệu theo chế độ báo cáo định kỳ (từ ngày 15 tháng trước đến ngày 14)"),
        help_text=_(
            "Kỳ báo cáo tính từ ngày 15 của tháng trước tháng đầu kỳ đến ngày 14 của tháng cuối "
            "kỳ (Nghị định 09/2019/NĐ-CP, Điều 12): tháng 3 là 15/02–14/03, năm là 15/12 năm "
            "trước–14/12."
        ),
        required=False,
    )

    def __init__(self, query, *, today: dt.date | None = None):
        self.today = today or timezone.localdate()
        # The query string speaks `from`/`to` (as the API does); the fields cannot be named so.
        data = query.copy() if hasattr(query, "copy") else dict(query)
        if "from" in query:
            data["date_from"] = query.get("from")
        if "to" in query:
            data["date_to"] = query.get("to")
        if not data.get("period"):
            data["period"] = "range" if data.get("date_from") else "month"
        data.setdefault("year", str(self.today.year))
        data.setdefault("month", str(self.today.month))
        data.setdefault("quarter", str((self.today.month - 1) // 3 + 1))
        data.setdefault("half", "1" if self.today.month <= 6 else "2")
        super().__init__(data)
        self.period: Period = default_period(self.today)

    def clean(self):
        cleaned = super().clean()
        query = {
            "period": self.data.get("period", ""),
            "year": self.data.get("year", ""),
            "month": self.data.get("month", ""),
            "quarter": self.data.get("quarter", ""),
            "half": self.data.get("half", ""),
            "from": self.data.get("date_from", ""),
            "to": self.data.get("date_to", ""),
            "cutoff": "1" if cleaned.get("cutoff") else "",
        }
        try:
            self.period = period_from_query(query, today=self.today)
        except InvalidInput as error:
            field = {"from": "date_from", "to": "date_to"}.get(error.field, error.field)
            self.add_error(field if field in self.fields else None, error.message)
        return cleaned

    def query(self) -> dict[str, str]:
        """The period as query parameters, for export links."""
        return self.period.query()
