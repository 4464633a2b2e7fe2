"""The citizen's request for the result by post: recorded (or corrected) with the address, and
withdrawn when the citizen will collect it at the counter after all."""

from django.db import transaction
from django.utils.translation import gettext as _

from intake.models import FINISHED
from onestop import clock
from onestop.errors import Conflict, InvalidInput, NotAllowed
from onestop.models import User
from postal.deliveries.models import DeliveryRequest
from postal.deliveries.services._common import (
    AddressInput,
    _locked_dossier,
    _readable_dossier,
    _ward_staff,
)


def delivery_request_record(
    *, user: User, code: str, address: AddressInput, collects_fee: bool = False
) -> DeliveryRequest:
    """Record (or correct) that the citizen wants the result delivered by post, and where."""
    dossier = _readable_dossier(user, code)
    if _ward_staff(user) != dossier.ward_id:
        raise NotAllowed(_("Chỉ phường tiếp nhận hồ sơ mới ghi nhận nơi nhận kết quả."))
    values = address.cleaned()
    with transaction.atomic():
        dossier = _locked_dossier(user, code)
        if dossier.status in FINISHED:
            raise Conflict(_("Hồ sơ đã kết thúc, không đăng ký nhận kết quả được nữa."))
        if collects_fee and not dossier.fee:
            raise InvalidInput(
                _("Thủ tục không có phí, lệ phí để bưu điện thu hộ."), field="collects_fee"
            )
        request, _created = DeliveryRequest.objects.update_or_create(
            dossier=dossier,
            defaults={
                **values,
                "collects_fee": collects_fee,
                "requested_at": clock.now(),
                "requested_by": user,
                "withdrawn_at": None,
                "withdrawn_by": None,
            },
        )
    return request


def delivery_request_withdraw(*, user: User, code: str) -> DeliveryRequest:
    """The citizen will collect the result at the counter after all."""
    dossier = _readable_dossier(user, code)
    if _ward_staff(user) != dossier.ward_id:
        raise NotAllowed(_("Chỉ phường tiếp nhận hồ sơ mới sửa nơi nhận kết quả."))
    with transaction.atomic():
        _locked_dossier(user, code)
        request = DeliveryRequest.objects.select_for_update().get(dossier=dossier)
        if request.withdrawn_at is None:
            request.withdrawn_at = clock.now()
            request.withdrawn_by = user
            request.save(update_fields=["withdrawn_at", "withdrawn_by"])
    return request
