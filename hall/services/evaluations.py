"""The citizen's evaluation: inviting it on the counter's tablet, and recording it once."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hall.models import (
    COMMENT_LIMIT,
    FULL_SCORE,
    INDICATOR_NAMES,
    Device,
    Evaluation,
    EvaluationChannel,
    HallLog,
    TicketEvent,
)
from hall.services.calls import counter_of
from intake.models import Dossier, Satisfaction, Status
from intake.services import dossier_rate
from onestop import clock
from onestop.errors import Conflict, InvalidInput
from onestop.models import User
from postal.services._common import clean_text
from wards.models import Counter


def already_evaluated(dossier: Dossier) -> Conflict:
    return Conflict(
        _("Hồ sơ %(code)s đã được đánh giá. Mỗi hồ sơ chỉ được đánh giá một lần.")
        % {"code": dossier.code}
    )


def _tablet_at(counter: Counter) -> Device | None:
    return (
        Device.objects.filter(
            ward_id=counter.ward_id,
            kind=Device.Kind.EVALUATION,
            counter=counter,
            revoked_at__isnull=True,
        )
        .order_by("pk")
        .first()
    )


def evaluation_invite(*, user: User, dossier: Dossier, counter: Counter | None = None) -> Device:
    """Show `dossier`'s evaluation form on the tablet of the worker's counter (the one named,
    else the roster's for this shift, else the ward's only tablet).

    The dossier must be returned and not yet evaluated (Conflict); InvalidInput when no tablet
    can be chosen. The tablet shows it until the citizen answers or another invitation replaces it.
    """
    if dossier.status != Status.RETURNED:
        raise Conflict(
            _("Hồ sơ %(code)s chưa trả kết quả nên chưa mời đánh giá được.")
            % {"code": dossier.code}
        )
    if Evaluation.objects.filter(dossier=dossier).exists():
        raise already_evaluated(dossier)
    tablet = None
    if counter is None:
        tablets = Device.objects.filter(
            ward_id=dossier.ward_id, kind=Device.Kind.EVALUATION, revoked_at__isnull=True
        )
        try:
            counter = counter_of(user=user)
        except InvalidInput:
            only = list(tablets[:2])
            if len(only) != 1:
                raise InvalidInput(
                    _("Chọn máy tính bảng của quầy bạn đang ngồi."), field="counter"
                ) from None
            tablet = only[0]
    else:
        counter = counter_of(user=user, counter=counter)
    if tablet is None:
        assert counter is not None
        tablet = _tablet_at(counter)
        if tablet is None:
            raise InvalidInput(
                _(
                    "Quầy số %(number)s chưa có máy tính bảng đánh giá. Trưởng bộ phận một cửa "
                    "tạo mã thiết bị trong “Xếp hàng → Cài đặt”."
                )
                % {"number": counter.number},
                field="counter",
            )
    now = clock.now()
    with transaction.atomic():
        tablet = Device.objects.select_for_update().get(pk=tablet.pk)
        tablet.invited_dossier = dossier
        tablet.invited_at = now
        tablet.save(update_fields=["invited_dossier", "invited_at"])
        HallLog.objects.create(
            ward_id=dossier.ward_id,
            at=now,
            actor=user,
            action=HallLog.Action.EVALUATION_INVITED,
            device=tablet,
            detail=_("Hồ sơ %(code)s trên “%(device)s”")
            % {"code": dossier.code, "device": tablet.name},
        )
    return tablet


def _scores(scores: dict[str, int | None]) -> dict[str, int | None]:
    out: dict[str, int | None] = {}
    for name in INDICATOR_NAMES:
        value = scores.get(name)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= FULL_SCORE
        ):
            raise InvalidInput(
                _("Mỗi chỉ số chấm từ 0 đến %(full)s điểm.") % {"full": FULL_SCORE}, field=name
            )
        out[name] = value
    return out


def evaluation_submit(
    *,
    dossier: Dossier,
    channel: str,
    satisfaction: int | None,
    scores: dict[str, int | None] | None = None,
    comment: str = "",
    device: Device | None = None,
    user: User | None = None,
) -> Evaluation:
    """Record the citizen's evaluation of `dossier`, once; the dossier's satisfaction follows
    (intake.services.dossier_rate) and its timeline gets the event, in the same transaction.

    Conflict when the dossier is not returned or already evaluated (also when two submissions
    race: the dossier row is locked first, the unique constraint is the last guard).
    """
    if channel not in EvaluationChannel.values:
        raise InvalidInput(_("Kênh đánh giá không hợp lệ."), field="channel")
    if satisfaction is None or satisfaction not in Satisfaction.values:
        raise InvalidInput(_("Chọn mức độ hài lòng của bạn."), field="satisfaction")
    checked = _scores(scores or {})
    comment = clean_text(comment, limit=COMMENT_LIMIT, field="comment")
    counter = device.counter if device is not None else None
    now = clock.now()
    try:
        with transaction.atomic():
            locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
            if Evaluation.objects.filter(dossier_id=locked.pk).exists():
                raise already_evaluated(locked)
            if locked.status != Status.RETURNED:
                raise Conflict(
                    _("Hồ sơ %(code)s chưa trả kết quả nên chưa đánh giá được.")
                    % {"code": locked.code}
                )
            ticket_id = (
                TicketEvent.objects.filter(dossier_id=locked.pk, action=TicketEvent.Action.LINKED)
                .order_by("-at", "-pk")
                .values_list("ticket_id", flat=True)
                .first()
            )
            evaluation = Evaluation.objects.create(
                dossier=locked,
                ward_id=locked.ward_id,
                at=now,
                channel=channel,
                satisfaction=satisfaction,
                comment=comment,
                counter=counter,
                device=device,
                ticket_id=ticket_id,
                submitted_by=user,
                **checked,
            )
            dossier_rate(
                dossier_id=locked.pk,
                satisfaction=satisfaction,
                at=now,
                note=str(EvaluationChannel(channel).label),
                counter=counter,
                actor=user,
            )
            # Answered: no tablet keeps showing the form (whichever channel answered it).
            Device.objects.filter(invited_dossier=locked).update(
                invited_dossier=None, invited_at=None
            )
    except IntegrityError:
        raise already_evaluated(dossier) from None
    return evaluation
