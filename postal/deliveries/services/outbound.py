"""Results delivered by post: sending a result (the delivery is created and the dossier moves to
in_delivery), each later step of the delivery, and the day's hand-over to the courier.

A delivery step that moves the dossier (sending, delivered, failed) takes the dossier's own
lifecycle step through `intake.services.dossier_step(..., from_delivery=True)` inside the same
transaction, so the delivery and the dossier can never disagree. Lock order is always the
dossier row first, then the delivery row.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intake.lifecycle import Action
from intake.models import Dossier
from intake.services import StepInput, dossier_step
from onestop import clock
from onestop.errors import Conflict, InvalidInput, NotAllowed
from onestop.models import Role, User
from postal.deliveries.models import ACTIVE, Delivery, DeliveryDirection, DeliveryStatus
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


def delivery_send(
    *,
    user: User,
    code: str,
    address: AddressInput,
    waybill_code: str,
    collects_fee: bool = False,
    note: str = "",
    request_id: str = "",
) -> Delivery:
    """Send the dossier's result by post: the delivery is created, the dossier moves from
    result_ready to in_delivery (send_by_post), both in one transaction.

    Raises Dossier.DoesNotExist outside the user's scope, NotAllowed for a city admin,
    InvalidInput for a bad address or waybill, Conflict when the result is not ready.
    """
    dossier = _readable_dossier(user, code)
    ward_id = _ward_staff(user)
    if dossier.ward_id != ward_id:
        raise NotAllowed(_("Chỉ phường tiếp nhận hồ sơ mới gửi kết quả."))
    if request_id:
        earlier = Delivery.objects.filter(dossier=dossier, request_id=request_id).first()
        if earlier is not None:
            return earlier  # the same confirmation submitted twice
    values = address.cleaned()
    waybill = _waybill(waybill_code)
    note = _one_line(note, field="note")
    now = clock.now()
    with transaction.atomic():
        dossier = _locked_dossier(user, code)
        if dossier.fee in (None, 0) and collects_fee:
            raise InvalidInput(
                _("Thủ tục không có phí, lệ phí để bưu điện thu hộ."), field="collects_fee"
            )
        quote = delivery_quote(
            dossier=dossier,
            city_name=values["city_name"],
            province_name=values["province_name"],
            collects_fee=collects_fee,
            on=timezone.localdate(now),
        )
        dossier_step(
            user=user,
            code=code,
            action=Action.SEND_BY_POST,
            note=_("Mã bưu gửi %(code)s, %(address)s")
            % {
                "code": waybill,
                "address": ", ".join(
                    values[f] for f in ("ward_name", "city_name", "province_name")
                ),
            },
            request_id=request_id,
            from_delivery=True,
        )
        return _create(
            dossier=dossier,
            ward_id=dossier.ward_id,
            direction=DeliveryDirection.OUTBOUND,
            status=DeliveryStatus.CREATED,
            waybill_code=waybill,
            **quote.charges(),
            note=note,
            created_at=now,
            created_by=user,
            request_id=request_id,
            **values,
        )


# Each step of an outbound delivery: where it may come from, and the dossier step it takes.
# Delivered and failed may follow the hand-over directly: the courier's report often arrives
# without an "out for delivery" scan, and the counter records what happened.
STEPS: dict[DeliveryStatus, tuple[frozenset[DeliveryStatus], Action | None]] = {
    DeliveryStatus.HANDED_TO_POST: (frozenset({DeliveryStatus.CREATED}), None),
    DeliveryStatus.IN_TRANSIT: (frozenset({DeliveryStatus.HANDED_TO_POST}), None),
    DeliveryStatus.DELIVERED: (
        frozenset({DeliveryStatus.HANDED_TO_POST, DeliveryStatus.IN_TRANSIT}),
        Action.DELIVERED,
    ),
    DeliveryStatus.FAILED: (
        frozenset({DeliveryStatus.HANDED_TO_POST, DeliveryStatus.IN_TRANSIT}),
        Action.DELIVERY_FAILED,
    ),
    DeliveryStatus.RETURNED_TO_COUNTER: (frozenset({DeliveryStatus.FAILED}), None),
}
# Who may record each step: the ward's counter staff, as for the dossier's postal steps.
STEP_ROLES = frozenset({Role.POSTAL_WORKER, Role.OFFICER, Role.CHIEF})


def next_steps(delivery: Delivery, role: str) -> list[DeliveryStatus]:
    """The steps `role` may record now, in the table's order (the buttons a page shows)."""
    if delivery.direction != DeliveryDirection.OUTBOUND or role not in STEP_ROLES:
        return []
    return [to for to, (sources, _action) in STEPS.items() if delivery.status in sources]


def _stamp(delivery: Delivery, to: DeliveryStatus, user: User, now, reason: str) -> list[str]:
    prefix = {
        DeliveryStatus.HANDED_TO_POST: "handed",
        DeliveryStatus.IN_TRANSIT: "in_transit",
        DeliveryStatus.DELIVERED: "delivered",
        DeliveryStatus.FAILED: "failed",
        DeliveryStatus.RETURNED_TO_COUNTER: "returned",
    }[to]
    setattr(delivery, f"{prefix}_at", now)
    setattr(delivery, f"{prefix}_by", user)
    fields = [f"{prefix}_at", f"{prefix}_by"]
    if to == DeliveryStatus.FAILED:
        delivery.failure_reason = reason
        fields.append("failure_reason")
    return fields


def delivery_advance(
    *,
    user: User,
    delivery_id: int,
    to: str,
    reason: str = "",
    satisfaction: int | None = None,
) -> Delivery:
    """Record the next step of an outbound delivery (hand-over, in transit, delivered, failed,
    back at the counter). Recording the step it already has changes nothing (a double click).

    Delivered returns the dossier (return method: post); failed brings it back to result_ready
    with the reason, which the counter then sees among the failed deliveries.
    """
    from postal.deliveries.selectors import deliveries_for_user

    try:
        to = DeliveryStatus(to)
    except ValueError:
        raise InvalidInput(_("Bước chuyển phát không hợp lệ."), field="to") from None
    delivery = deliveries_for_user(user=user).select_related("dossier").get(pk=delivery_id)
    if _ward_staff(user) != delivery.ward_id or user.role not in STEP_ROLES:
        raise NotAllowed(_("Chỉ cán bộ, nhân viên của phường gửi mới ghi nhận bưu gửi."))
    if to not in STEPS:
        raise InvalidInput(_("Bước chuyển phát không hợp lệ."), field="to")
    reason = _one_line(reason, field="reason")
    now = clock.now()
    with transaction.atomic():
        _locked_dossier(user, delivery.dossier.code)
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("dossier")
            .get(pk=delivery.pk)
        )
        if delivery.status == to:
            return delivery
        sources, action = STEPS[to]
        if delivery.direction != DeliveryDirection.OUTBOUND or delivery.status not in sources:
            raise Conflict(
                _("Bưu gửi %(code)s đang “%(status)s”, không thể chuyển sang “%(to)s”.")
                % {
                    "code": delivery.waybill_code,
                    "status": delivery.get_status_display(),
                    "to": to.label,
                }
            )
        if to == DeliveryStatus.FAILED and not reason:
            raise InvalidInput(
                _("Ghi lý do không phát được (vắng nhà, sai địa chỉ, từ chối nhận…)."),
                field="reason",
            )
        if action is not None:
            dossier_step(
                user=user,
                code=delivery.dossier.code,
                action=action,
                note=(
                    reason
                    if to == DeliveryStatus.FAILED
                    else _("Mã bưu gửi %(code)s") % {"code": delivery.waybill_code}
                ),
                details=StepInput(satisfaction=satisfaction),
                from_delivery=True,
            )
        fields = _stamp(delivery, to, user, now, reason)
        delivery.status = to
        delivery.save(update_fields=[*fields, "status"])
    return delivery


@dataclass(frozen=True)
class HandOver:
    handed: list[Delivery]
    already: int


def deliveries_hand_over(*, user: User, day: dt.date) -> HandOver:
    """Hand the day's prepared results to the courier: every outbound delivery of the user's
    ward created on `day` and still at the counter becomes handed_to_post (the signed bảng kê)."""
    from postal.deliveries.selectors import handover_deliveries

    _ward_staff(user)
    listed = list(handover_deliveries(user=user, day=day))
    waiting = [d.pk for d in listed if d.status == DeliveryStatus.CREATED]
    handed = [
        delivery_advance(user=user, delivery_id=pk, to=DeliveryStatus.HANDED_TO_POST)
        for pk in waiting
    ]
    return HandOver(handed=handed, already=len(listed) - len(waiting))


def active_outbound(dossier: Dossier) -> Delivery | None:
    return dossier.deliveries.filter(
        direction=DeliveryDirection.OUTBOUND, status__in=ACTIVE
    ).first()
