"""The lifecycle steps after intake, taken through the transition table (intake.lifecycle)."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from intake import figures
from intake.editions import edition_for
from intake.lifecycle import POSTAL_ACTIONS, Action, edge, in_edition, may_ever
from intake.models import Dossier, DossierEvent, Status
from intake.services._common import calendar_for, desk_name, require_note
from intake.services.apology import apologise
from intake.services.deadlines import check_supplement_window, restarted_appointment
from intake.services.returns import returned_at_counter, returned_by_post
from intake.signals import dossier_returned, dossier_stepped
from onestop import clock
from onestop.errors import Conflict, InvalidInput, NotAllowed
from onestop.models import User
from wards import calendar
from wards.models import Counter


@dataclass
class StepInput:
    """The details a step may need besides the note."""

    new_appointment_at: dt.datetime | None = None
    collector_id_number: str = ""
    satisfaction: int | None = None
    counter: Counter | None = None


def _lock_for(user: User, code: str) -> Dossier:
    """The dossier, locked, if `user` may act in its ward; otherwise Dossier.DoesNotExist."""
    from intake.selectors import dossiers_in_working_ward

    dossier = dossiers_in_working_ward(user=user).select_for_update().get(code=code)
    # The dossier is in the user's own ward (the queryset says so): reuse that ward rather than
    # joining it, which would also lock the ward row and queue every step in the ward.
    if user.ward is not None:  # always: the queryset found the dossier in the user's ward
        dossier.ward = user.ward
    return dossier


def _check_step(user: User, dossier: Dossier, action: Action):
    step = edge(dossier.status, action)
    if step is None:
        if not may_ever(user.role, action):
            raise NotAllowed(
                _("Vai trò %(role)s không được thực hiện thao tác “%(action)s”.")
                % {"role": user.get_role_display(), "action": action.label}
            )
        raise Conflict(
            _("Hồ sơ %(code)s đang ở trạng thái “%(status)s”, không thể “%(action)s”.")
            % {"code": dossier.code, "status": dossier.get_status_display(), "action": action.label}
        )
    if user.role not in step.roles:
        raise NotAllowed(
            _("Vai trò %(role)s không được “%(action)s” khi hồ sơ “%(status)s”.")
            % {
                "role": user.get_role_display(),
                "action": action.label,
                "status": dossier.get_status_display(),
            }
        )
    if not in_edition(action, dossier.received_at):
        raise Conflict(
            _("Hồ sơ %(code)s được tiếp nhận theo %(decree)s, không có thao tác “%(action)s”.")
            % {
                "code": dossier.code,
                "decree": edition_for(dossier.received_at).decree,
                "action": action.label,
            }
        )
    return step


def _parse_action(action: str) -> Action:
    try:
        return Action(action)
    except ValueError:
        raise InvalidInput(
            _("Thao tác “%(action)s” không tồn tại.") % {"action": action}, field="action"
        ) from None


def dossier_step(
    *,
    user: User,
    code: str,
    action: str,
    note: str = "",
    details: StepInput | None = None,
    request_id: str = "",
    from_delivery: bool = False,
) -> Dossier:
    """Take one lifecycle step on the dossier `code` in the user's ward.

    Raises Dossier.DoesNotExist when the dossier is outside the user's ward (a 404), NotAllowed
    when the user's role may not take the step, Conflict when the dossier's state does not allow
    it, InvalidInput when a detail the step needs is missing or wrong. A `request_id` already
    recorded on the dossier returns it unchanged (the same form submitted twice).
    """
    action = _parse_action(action)
    details = details or StepInput()
    if action == Action.RECEIVE:
        raise InvalidInput(_("Tiếp nhận là một thao tác riêng."), field="action")
    if action in POSTAL_ACTIONS and not from_delivery:
        raise InvalidInput(
            _("Gửi và phát kết quả qua bưu điện được ghi nhận qua phiếu chuyển phát."),
            field="action",
        )
    note = note.strip()
    now = clock.now()
    with transaction.atomic():
        dossier = _lock_for(user, code)
        if request_id and dossier.events.filter(request_id=request_id).exists():
            return dossier
        step = _check_step(user, dossier, action)
        if details.counter is not None and (
            details.counter.ward_id != dossier.ward_id or not details.counter.active
        ):
            raise InvalidInput(_("Quầy không thuộc phường của bạn."), field="counter")
        from_status = dossier.status
        before = figures.Facts.of(dossier)
        changed = _apply(user, dossier, action, note, details, now)
        if from_status == Status.NEEDS_SUPPLEMENT and step.target != Status.NEEDS_SUPPLEMENT:
            changed += _end_pause(dossier, now, completed=action == Action.SUPPLEMENT)
        dossier.status = step.target
        dossier.national_status = step.national_status
        dossier.save(
            update_fields=[*dict.fromkeys(changed), "status", "national_status", "updated_at"]
        )
        from_unit, to_unit = handoff(dossier, action, from_status)
        if action == Action.RETURN and details.collector_id_number.strip() != (
            dossier.applicant_id_number
        ):
            to_unit = str(PROXY_COLLECTOR)  # named, with the authorisation, in the note
        event = DossierEvent.objects.create(
            dossier=dossier,
            at=now,
            actor=user,
            actor_role=user.role,
            action=action,
            from_status=from_status,
            to_status=step.target,
            note=note,
            counter=details.counter,
            from_unit=from_unit,
            to_unit=to_unit,
            appointment_at=(
                dossier.due_at if action in (Action.APOLOGISE, Action.SUPPLEMENT) else None
            ),
            request_id=request_id,
        )
        figures.record_change(before, _facts_after(dossier, before, now))
        if step.target == Status.RETURNED:
            dossier_returned.send(sender=Dossier, dossier=dossier, user=user)
        dossier_stepped.send(sender=Dossier, dossier=dossier, user=user, event=event)
    return dossier


def _facts_after(dossier: Dossier, before: figures.Facts, now: dt.datetime) -> figures.Facts:
    """The dossier's report facts after a step; `before`'s working days were not counted."""
    working_days = 0
    if dossier.resolved_at is not None and before.resolved_at is None:
        working_days = calendar_for(dossier.ward.city_id).working_days_between(
            figures.local_day(dossier.received_at), figures.local_day(dossier.resolved_at)
        )
    closed_at = now if dossier.status in figures.CLOSING else None
    return figures.Facts.of(dossier, working_days=working_days, closed_at=closed_at)


APPLICANT = _lazy("Người nộp hồ sơ")
PROXY_COLLECTOR = _lazy("Người nhận thay")
POST_OFFICE = _lazy("Bưu điện")


def handoff(dossier: Dossier, action: Action, from_status: str) -> tuple[str, str]:
    """Who hands the dossier (or its result) to whom in this step: Mẫu 05's two columns.

    A step that moves no papers (an apology) has no hand-off.
    """
    desk = desk_name(dossier.ward, dossier.received_at)
    agency = dossier.resolving_agency
    # Papers come back to the citizen from wherever they are: the desk before transfer, the
    # resolving agency once they were handed over.
    holder = desk if from_status == Status.RECEIVED else agency
    return {
        Action.TRANSFER: (desk, agency),
        Action.REQUEST_SUPPLEMENT: (agency, str(APPLICANT)),
        # The citizen brings the missing papers to the counter, which passes them on.
        Action.SUPPLEMENT: (str(APPLICANT), agency),
        Action.RESOLVE: (agency, desk),
        Action.REFUSE: (holder, str(APPLICANT)),
        Action.STOP: (agency, str(APPLICANT)),
        Action.WITHDRAW: (holder, str(APPLICANT)),
        Action.RETURN: (desk, str(APPLICANT)),
        Action.SEND_BY_POST: (desk, str(POST_OFFICE)),
        Action.DELIVERED: (str(POST_OFFICE), str(APPLICANT)),
        Action.DELIVERY_FAILED: (str(POST_OFFICE), desk),
    }.get(action, ("", ""))


def _end_pause(dossier: Dossier, now: dt.datetime, *, completed: bool) -> list[str]:
    """Close the wait for the citizen; when the dossier is `completed`, its term restarts.

    The waited time is working time (a weekend in the middle does not count), kept on the
    dossier for reports whichever way the wait ends (completed or withdrawn). On completion the
    edition's rule sets the appointment: the full term counted again from `now` (both editions
    say so); an edition without the restart would move the appointment by the time waited.
    """
    since = dossier.paused_since
    if since is None:
        return []  # no pause to close
    cal = calendar_for(dossier.ward.city_id)
    # max(): a replay of older events must never make the pause negative.
    paused = calendar.working_time_between(since, max(now, since), cal)
    changed = ["paused_seconds", "paused_since"]
    dossier.paused_seconds += int(paused.total_seconds())
    dossier.paused_since = None
    if not completed:
        return changed
    if edition_for(dossier.received_at).supplement_restarts_term:
        dossier.appointment_at = restarted_appointment(dossier, now, cal)
        changed.append("appointment_at")
        # A new date promised by an apology before the restart holds only while it is later
        # than the restarted appointment; the apology event keeps the history either way.
        if (
            dossier.apology_appointment_at is not None
            and dossier.apology_appointment_at <= dossier.appointment_at
        ):
            dossier.apology_appointment_at = None
            changed.append("apology_appointment_at")
    elif paused:
        dossier.appointment_at = calendar.add_working_time(dossier.appointment_at, paused, cal)
        changed.append("appointment_at")
        if dossier.apology_appointment_at:
            dossier.apology_appointment_at = calendar.add_working_time(
                dossier.apology_appointment_at, paused, cal
            )
            changed.append("apology_appointment_at")
    return changed


def _apply(user, dossier, action, note, details, now) -> list[str]:
    """Change the dossier's own fields for `action`; return the names of the fields changed."""
    if action == Action.REQUEST_SUPPLEMENT:
        require_note(note, _("Ghi rõ giấy tờ cần bổ sung (nội dung Phiếu yêu cầu bổ sung)."))
        check_supplement_window(dossier, now, calendar_for(dossier.ward.city_id))
        dossier.supplement_count += 1
        dossier.paused_since = now
        return ["supplement_count", "paused_since"]
    if action == Action.RESOLVE:
        dossier.resolved_at = now
        # Timeliness counts against the appointment on the receipt, or on the new receipt when
        # a supplement restarted the term: an apology's new date does not make a late result
        # timely. More than one supplement request counts as late, as the national index does.
        dossier.timeliness = (
            "late"
            if dossier.supplement_count > 1
            else calendar.timeliness(now, dossier.appointment_at)
        )
        return ["resolved_at", "timeliness"]
    if action == Action.REFUSE:
        require_note(note, _("Ghi rõ lý do từ chối (nội dung Phiếu từ chối)."))
        return []
    if action == Action.STOP:
        require_note(note, _("Ghi rõ lý do dừng giải quyết (nội dung Thông báo dừng giải quyết)."))
        return []
    if action == Action.APOLOGISE:
        return apologise(dossier, note, details, now)
    if action == Action.RETURN:
        return returned_at_counter(user, dossier, note, details, now)
    if action == Action.DELIVERED:
        return returned_by_post(user, dossier, details, now)
    return []
