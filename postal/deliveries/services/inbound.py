"""Dossiers that arrive by post (channel 3): the postal item that brought one, recorded after
intake with its sender, waybill code and what the citizen paid the post."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intake.models import Channel
from onestop import clock
from onestop.errors import Conflict, NotAllowed
from onestop.models import User
from postal.deliveries.models import Delivery, DeliveryDirection, DeliveryStatus
from postal.deliveries.services._common import (
    AddressInput,
    _create,
    _locked_dossier,
    _one_line,
    _readable_dossier,
    _ward_staff,
    _waybill,
)
from postal.deliveries.services.tariff import delivery_quote


def delivery_record_inbound(
    *,
    user: User,
    code: str,
    address: AddressInput,
    waybill_code: str,
    collects_fee: bool = False,
    note: str = "",
) -> Delivery:
    """Record the postal item that brought a dossier received through channel 3 (its sender,
    waybill code and what the citizen paid the post). One per dossier."""
    dossier = _readable_dossier(user, code)
    if _ward_staff(user) != dossier.ward_id:
        raise NotAllowed(_("Chỉ phường tiếp nhận hồ sơ mới ghi nhận bưu gửi đến."))
    if dossier.channel != Channel.POSTAL:
        raise Conflict(
            _("Hồ sơ %(code)s không nộp qua dịch vụ bưu chính công ích.") % {"code": code}
        )
    values = address.cleaned()
    waybill = _waybill(waybill_code)
    note = _one_line(note, field="note")
    now = clock.now()
    with transaction.atomic():
        dossier = _locked_dossier(user, code)
        if dossier.deliveries.filter(direction=DeliveryDirection.INBOUND).exists():
            raise Conflict(_("Bưu gửi mang hồ sơ này đến đã được ghi nhận."))
        quote = delivery_quote(
            dossier=dossier,
            city_name=values["city_name"],
            province_name=values["province_name"],
            collects_fee=collects_fee,
            on=timezone.localdate(dossier.received_at),
        )
        return _create(
            dossier=dossier,
            ward_id=dossier.ward_id,
            direction=DeliveryDirection.INBOUND,
            status=DeliveryStatus.DELIVERED,
            waybill_code=waybill,
            **quote.charges(),
            note=note,
            created_at=now,
            created_by=user,
            delivered_at=dossier.received_at,
            delivered_by=dossier.received_by,
            **values,
        )
