"""A dossier entered from paper brought to the state its paper shows, with the paper's dates.

A paper dossier the section received, handed over, resolved or returned before anyone typed it
in is entered as a received dossier (intake.services.receive) and then walked, in the same
transaction, along the transition table (intake.lifecycle) to the state the paper shows: each
step is the table's own edge (its target and national status) and writes the event a dossier
taken through it at the counter would have, at the date written on the paper and marked
`from_paper`. Who may take a step is not asked: the decision was made on paper by whoever
signed it; the event's actor is who transcribed it. Timeliness counts the paper's result date
against the appointment computed from the paper's receipt, so the report figures count the
dossier as what it was.
"""

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from intake import figures
from intake.lifecycle import Action, edge
from intake.models import Dossier, DossierEvent, ReturnMethod, Status
from intake.services._common import calendar_for
from intake.services.steps import handoff
from onestop import clock
from onestop.errors import InvalidInput
from onestop.models import User
from wards import calendar


class PaperState(models.TextChoices):
    """The states a paper dossier can be entered in: where its paper says it stands."""

    RECEIVED = Status.RECEIVED.value, _lazy("Đã tiếp nhận, chưa chuyển xử lý")
    PROCESSING = Status.PROCESSING.value, _lazy("Đang xử lý (đã chuyển xử lý)")
    RESULT_READY = Status.RESULT_READY.value, _lazy("Có kết quả, chưa trả")
    RETURNED = Status.RETURNED.value, _lazy("Đã trả kết quả")


# The steps that lead from received to each state, in order.
PAPER_STEPS: dict[str, tuple[Action, ...]] = {
    PaperState.RECEIVED: (),
    PaperState.PROCESSING: (Action.TRANSFER,),
    PaperState.RESULT_READY: (Action.TRANSFER, Action.RESOLVE),
    PaperState.RETURNED: (Action.TRANSFER, Action.RESOLVE, Action.RETURN),
}

PAPER_NOTE = _lazy("Theo hồ sơ giấy")


def _local(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%H:%M %d/%m/%Y}"


def paper_dates_errors(
    *,
    state: str,
    received_at: dt.datetime | None,
    resolved_at: dt.datetime | None,
    returned_at: dt.datetime | None,
    latest: dt.datetime | None = None,
) -> list[tuple[str, str]]:
    """Every reason to refuse the paper's dates, as (field, message), in the form's order.

    A date the state does not call for must be empty, one it calls for must be there, none in
    the future or after `latest` (a batch's due date, say), and each not before the previous:
    receipt, result, return.
    """
    if state not in PaperState.values:
        return [("paper_state", _("Chọn trạng thái ghi trên hồ sơ giấy."))]
    steps = PAPER_STEPS[state]
    now = clock.now()
    errors = []
    earlier = received_at
    for field, value, action in (
        ("paper_resolved_at", resolved_at, Action.RESOLVE),
        ("paper_returned_at", returned_at, Action.RETURN),
    ):
        if action not in steps:
            if value is not None:
                errors.append(
                    (
                        field,
                        _("Hồ sơ ở trạng thái “%(state)s” không có ngày này; hãy để trống.")
                        % {"state": PaperState(state).label},
                    )
                )
            continue
        if value is None:
            errors.append(
                (
                    field,
                    _("Nhập ngày có kết quả ghi trên hồ sơ giấy.")
                    if action == Action.RESOLVE
                    else _("Nhập ngày trả kết quả ghi trên hồ sơ giấy."),
                )
            )
            continue
        if value > now:
            errors.append((field, _("Ngày ghi trên hồ sơ giấy không thể ở tương lai.")))
        elif latest is not None and value > latest:
            errors.append(
                (
                    field,
                    _("Ngày này không thể sau hạn hoàn thành của lô (%(at)s).")
                    % {"at": f"{timezone.localtime(latest):%d/%m/%Y}"},
                )
            )
        elif earlier is not None and value < earlier:
            message = (
                _("Ngày có kết quả không thể trước thời điểm tiếp nhận (%(at)s).")
                if action == Action.RESOLVE
                else _("Ngày trả kết quả không thể trước ngày có kết quả (%(at)s).")
            )
            errors.append((field, message % {"at": _local(earlier)}))
        earlier = value
    return errors


def paper_dates_check(
    *,
    state: str,
    received_at: dt.datetime,
    resolved_at: dt.datetime | None,
    returned_at: dt.datetime | None,
    latest: dt.datetime | None = None,
) -> None:
    """Raise InvalidInput, naming the field, for the first of `paper_dates_errors`."""
    errors = paper_dates_errors(
        state=state,
        received_at=received_at,
        resolved_at=resolved_at,
        returned_at=returned_at,
        latest=latest,
    )
    if errors:
        field, message = errors[0]
        raise InvalidInput(message, field=field)


def dossier_paper_history(
    *,
    user: User,
    dossier: Dossier,
    state: str,
    resolved_at: dt.datetime | None = None,
    returned_at: dt.datetime | None = None,
) -> Dossier:
    """Walk `dossier`, just received from paper, to the paper's `state`, at the paper's dates.

    Must run inside the transaction that received the dossier. The hand-over to processing is
    dated at the receipt (the paper records no other date for it). Raises InvalidInput when the
    dates do not fit the state (see `paper_dates_check`).
    """
    paper_dates_check(
        state=state,
        received_at=dossier.received_at,
        resolved_at=resolved_at,
        returned_at=returned_at,
    )
    steps = PAPER_STEPS[state]
    if not steps:
        return dossier
    at_of = {
        Action.TRANSFER: dossier.received_at,
        Action.RESOLVE: resolved_at,
        Action.RETURN: returned_at,
    }
    before = figures.Facts.of(dossier)
    changed: list[str] = []
    for action in steps:
        at = at_of[action]
        step = edge(dossier.status, action)
        if step is None or at is None:  # the table or the dates changed under this module
            raise InvalidInput(_("Trạng thái trên hồ sơ giấy không hợp lệ."), field="paper_state")
        from_status = dossier.status
        if action == Action.RESOLVE:
            dossier.resolved_at = at
            dossier.timeliness = calendar.timeliness(at, dossier.appointment_at)
            changed += ["resolved_at", "timeliness"]
        elif action == Action.RETURN:
            dossier.returned_at = at
            dossier.returned_by = user
            dossier.return_method = ReturnMethod.COUNTER
            changed += ["returned_at", "returned_by", "return_method"]
        dossier.status = step.target
        dossier.national_status = step.national_status
        from_unit, to_unit = handoff(dossier, action, from_status)
        DossierEvent.objects.create(
            dossier=dossier,
            at=at,
            actor=user,
            actor_role=user.role,
            action=action,
            from_status=from_status,
            to_status=step.target,
            note=str(PAPER_NOTE),
            from_unit=from_unit,
            to_unit=to_unit,
            from_paper=True,
        )
    dossier.save(update_fields=[*dict.fromkeys(changed), "status", "national_status", "updated_at"])
    working_days = 0
    if dossier.resolved_at is not None:
        working_days = calendar_for(dossier.ward.city_id).working_days_between(
            figures.local_day(dossier.received_at), figures.local_day(dossier.resolved_at)
        )
    figures.record_change(before, figures.Facts.of(dossier, working_days=working_days))
    return dossier
