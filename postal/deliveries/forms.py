"""Forms of the postal service pages: address, sending a result, a dossier that came by post,
the citizen's choice of where to collect the result, delivery steps, hand-over day, tariff."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from onestop.forms import PrintableTextMixin
from onestop.paging import MAX_PAGE
from postal.deliveries.models import DeliveryDirection, DeliveryStatus, validate_s10
from postal.deliveries.services import AddressInput

DATE_FORMATS = ["%d/%m/%Y"]


def _date_input():
    return forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "size": 10})


class AddressForm(PrintableTextMixin, forms.Form):
    free_text_fields = ("street", "ward_name", "city_name", "province_name", "note")
    recipient_name = forms.CharField(label=_("Họ tên người nhận"), max_length=200)
    recipient_phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
    )
    street = forms.CharField(label=_("Số nhà, đường, khu phố"), max_length=200)
    ward_name = forms.CharField(label=_("Phường, xã"), max_length=100)
    city_name = forms.CharField(label=_("Thành phố, huyện"), max_length=100)
    province_name = forms.CharField(label=_("Tỉnh"), max_length=100)

    ADDRESS_FIELDS = (
        "recipient_name",
        "recipient_phone",
        "street",
        "ward_name",
        "city_name",
        "province_name",
    )

    def address(self) -> AddressInput:
        return AddressInput(**{name: self.cleaned_data[name] for name in self.ADDRESS_FIELDS})


class WaybillMixin(PrintableTextMixin, forms.Form):
    free_text_fields = ("note",)
    waybill_code = forms.CharField(
        label=_("Mã bưu gửi"),
        max_length=20,
        help_text=_("Mã trên nhãn bưu điện, ví dụ EL123456785VN."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "class": "waybill"}
        ),
    )
    collects_fee = forms.BooleanField(
        label=_("Bưu điện thu hộ phí, lệ phí"),
        required=False,
        help_text=_("Người dân trả phí, lệ phí cho bưu tá; có thêm cước thu hộ."),
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def clean_waybill_code(self):
        # Checked here too, so a misread code is refused at the quote step, before the worker
        # is asked to confirm, and not only when the delivery is written.
        return validate_s10(self.cleaned_data["waybill_code"])


class SendForm(AddressForm, WaybillMixin):
    """Sending a result by post: the quote is shown, then the worker confirms."""

    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
    request_id = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("request_id", uuid.uuid4())
        super().__init__(*args, **kwargs)


class InboundForm(AddressForm, WaybillMixin):
    """The postal item that brought a dossier (channel 3): its sender and waybill."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "inbound")
        super().__init__(*args, **kwargs)
        self.fields["recipient_name"].label = _("Họ tên người gửi")
        self.fields["collects_fee"].label = _("Bưu điện đã thu hộ phí, lệ phí")
        self.fields["collects_fee"].help_text = ""


class ResultPlaceForm(AddressForm):
    """Where the citizen wants the result: at the counter, or delivered by post to an address."""

    COUNTER, POST = "counter", "post"
    result_place = forms.ChoiceField(
        label=_("Nhận kết quả"),
        choices=[(COUNTER, _("Tại quầy")), (POST, _("Qua bưu điện, tại địa chỉ dưới đây"))],
        widget=forms.RadioSelect,
    )
    collects_fee = forms.BooleanField(
        label=_("Bưu điện thu hộ phí, lệ phí khi phát"), required=False
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "result")
        super().__init__(*args, **kwargs)
        if self.is_bound and self.data.get(self.add_prefix("result_place")) != self.POST:
            # Collecting at the counter needs no address.
            for name in self.ADDRESS_FIELDS:
                self.fields[name].required = False


class StepForm(PrintableTextMixin, forms.Form):
    free_text_fields = ("reason",)
    to = forms.ChoiceField(choices=DeliveryStatus.choices, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Lý do không phát được"), max_length=300, required=False)


class HandoverDayForm(forms.Form):
    ngay = forms.DateField(
        label=_("Ngày"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=_date_input(),
        error_messages={"invalid": _("Nhập ngày theo dạng dd/mm/yyyy.")},
    )


class DeliveryFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm kiếm"),
        required=False,
        max_length=100,
        help_text=_("Mã bưu gửi, mã hồ sơ hoặc họ tên người nộp."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"), required=False, choices=[("", _("Tất cả")), *DeliveryStatus.choices]
    )
    direction = forms.ChoiceField(
        label=pgettext_lazy("direction", "Chiều"),
        required=False,
        choices=[("", _("Tất cả")), *DeliveryDirection.choices],
    )
    day = forms.DateField(
        label=_("Ngày lập"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=_date_input(),
        error_messages={"invalid": _("Nhập ngày theo dạng dd/mm/yyyy.")},
    )
    page = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE, widget=forms.HiddenInput
    )


def _money(label):
    return forms.IntegerField(
        label=label, min_value=0, max_value=100_000_000, widget=forms.NumberInput(attrs={"step": 1})
    )


class TariffForm(forms.Form):
    valid_from = forms.DateField(
        label=_("Áp dụng từ ngày"),
        input_formats=DATE_FORMATS,
        widget=_date_input(),
        error_messages={"invalid": _("Nhập ngày theo dạng dd/mm/yyyy.")},
    )
    within_city = _money(_("Cước 1 chiều nội thành phố (đ)"))
    within_province = _money(_("Cước 1 chiều nội tỉnh (đ)"))
    other_province = _money(_("Cước 1 chiều liên tỉnh (đ)"))
    collection_low = _money(_("Cước thu hộ mức thấp (đ)"))
    collection_low_below = _money(_("…khi thu hộ dưới (đ)"))
    collection_mid = _money(_("Cước thu hộ mức giữa (đ)"))
    collection_mid_below = _money(_("…khi thu hộ dưới (đ)"))
    collection_percent = forms.DecimalField(
        label=_("Từ mức trên: % số tiền thu hộ"), min_value=0, max_value=100, decimal_places=2
    )
    source = forms.CharField(
        label=_("Căn cứ (văn bản, thông báo giá)"), max_length=300, required=False
    )
