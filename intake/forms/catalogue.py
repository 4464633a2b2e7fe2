"""Forms of the city admin's catalogue pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from intake.catalogue import MAX_FILE_BYTES
from intake.models import Procedure

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class CatalogueSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm thủ tục"),
        required=False,
        max_length=100,
        help_text=_("Mã hoặc tên, có dấu hay không dấu."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    state = forms.ChoiceField(
        label=_("Tình trạng"),
        required=False,
        choices=[
            ("", _("Tất cả")),
            ("active", _("Đang áp dụng")),
            ("inactive", _("Ngừng áp dụng")),
        ],
    )


class ProcedureForm(forms.Form):
    """A procedure's catalogue entry (the code identifies it and is not edited)."""

    name = forms.CharField(
        label=_("Tên thủ tục"), max_length=400, widget=forms.Textarea(attrs={"rows": 2})
    )
    field = forms.CharField(label=_("Lĩnh vực"), max_length=100)
    level = forms.ChoiceField(label=_("Cấp thực hiện"), choices=Procedure.Level.choices)
    resolving_agency = forms.CharField(
        label=_("Cơ quan giải quyết"), max_length=200, required=False
    )
    processing_days = forms.IntegerField(
        label=_("Thời hạn giải quyết"),
        min_value=0,
        max_value=365,
        required=False,
        help_text=_("0 là trả trong ngày; để trống khi chưa xác minh (chưa thể tiếp nhận)."),
    )
    term_unit = forms.ChoiceField(
        label=_("Đơn vị thời hạn"),
        choices=Procedure.TermUnit.choices,
        required=False,
        initial=Procedure.TermUnit.WORKING_DAYS,
        help_text=_(
            "“ngày” khi văn bản quy định thời hạn theo ngày: hạn rơi vào ngày nghỉ thì chuyển "
            "sang ngày làm việc tiếp theo."
        ),
    )
    supplement_window_days = forms.IntegerField(
        label=_("Thời hạn yêu cầu bổ sung (ngày làm việc)"),
        min_value=1,
        max_value=365,
        required=False,
        help_text=_("Chỉ điền khi luật chuyên ngành quy định; để trống là 3 ngày làm việc."),
    )
    fee = forms.IntegerField(
        label=_("Phí, lệ phí (đồng)"), min_value=0, max_value=1_000_000_000, required=False
    )
    postal_eligible = forms.BooleanField(label=_("Tiếp nhận qua bưu điện"), required=False)
    effective_from = forms.DateField(
        label=_("Hiệu lực từ"), required=False, input_formats=DATE_FORMATS
    )
    effective_to = forms.DateField(
        label=_("Hiệu lực đến"), required=False, input_formats=DATE_FORMATS
    )
    notes = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    source = forms.CharField(label=_("Căn cứ, nguồn"), max_length=300, required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("term_unit"):
            # Not sent (an older form or a script): the procedure keeps its unit.
            cleaned.pop("term_unit", None)
        start, end = cleaned.get("effective_from"), cleaned.get("effective_to")
        if start and end and end < start:
            self.add_error("effective_to", _("Ngày hết hiệu lực phải sau ngày có hiệu lực."))
        return cleaned


class CatalogueImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp danh mục (.csv hoặc .xlsx)"),
        help_text=_(
            "Dòng đầu là tiêu đề. Cột bắt buộc: mã thủ tục, tên thủ tục; thủ tục mới cần thêm "
            "lĩnh vực và cấp thực hiện. Các cột khác: thời hạn giải quyết, đơn vị thời hạn (ngày "
            "làm việc/ngày), thời hạn yêu cầu bổ sung, phí lệ phí, tiếp nhận qua bưu điện, "
            "cơ quan giải quyết, đang áp dụng, hiệu lực từ/đến, ghi chú, nguồn."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("Tệp lớn hơn 5 MB."))
        return upload
