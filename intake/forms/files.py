"""Forms of the digitisation page: upload one scanned file, mark a scan superseded."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from intake.models import Dossier

ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


class DossierFileUploadForm(forms.Form):
    component = forms.ChoiceField(label=_("Thành phần hồ sơ"), required=False)
    file = forms.FileField(
        label=_("Tệp đã quét"),
        # Empty and oversized files are refused by the service, with the same words as the API.
        allow_empty_file=True,
        help_text=_("PDF, JPEG hoặc PNG; loại tệp được xét theo nội dung."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        error_messages={"required": _("Chọn tệp đã quét để tải lên.")},
    )
    request_id = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, dossier: Dossier, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("request_id", uuid.uuid4())
        super().__init__(*args, **kwargs)
        names = [str(item.get("name", "")) for item in dossier.components or []]
        self.fields["component"].choices = [
            *((name, name) for name in names if name),
            ("", _("Giấy tờ khác (ngoài danh sách)")),
        ]


class DossierFileSupersedeForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do thay thế"),
        max_length=300,
        error_messages={"required": _("Ghi lý do thay thế tệp (ví dụ: quét mờ, nhầm trang).")},
    )
    request_id = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("request_id", uuid.uuid4())
        super().__init__(*args, **kwargs)
