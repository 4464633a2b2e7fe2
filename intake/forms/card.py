"""A CCCD QR payload submitted in a form's ID field, read and spread over the form's fields.

The scanner types the card's payload wherever the cursor is; without JavaScript it arrives in
the ID field. The form then gets the card's fields instead of the payload, which is never kept.
"""

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from intake.cccd import NotACard, looks_like_card, read_card
from onestop import clock


def take_card(data: QueryDict, *, id_field: str, fills: dict[str, str]) -> tuple[QueryDict, list]:
    """`data` with a payload in `id_field` replaced by the card's fields, and the errors found.

    `fills` maps the form's field names to the card's (`name`, `birth_year`, `address`). With
    errors, `data` comes back unchanged so that everything typed is shown again.
    """
    payload = data.get(id_field, "")
    if not looks_like_card(payload):
        return data, []
    try:
        card = read_card(payload, today=timezone.localdate(clock.now()))
    except NotACard as error:
        return data, [error.message]
    if card.problems:
        return data, [_("Mã QR của thẻ CCCD có thông tin không khớp:"), *card.problems]
    data = data.copy()
    data[id_field] = card.id_number
    for name, card_field in fills.items():
        value = getattr(card, card_field)
        data[name] = "" if value is None else str(value)
    return data, []


def payload_elsewhere(form, *, id_field: str) -> None:
    """Refuse a payload scanned into any other text field of `form` rather than store it there."""
    message = _("Ô này chứa dữ liệu mã QR của thẻ CCCD: xóa đi và quét lại thẻ vào ô số CCCD.")
    for name, field in form.fields.items():
        value = str(form.data.get(form.add_prefix(name), ""))
        if name != id_field and isinstance(field, forms.CharField) and looks_like_card(value):
            form.add_error(name, message)
