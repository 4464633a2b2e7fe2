"""The deadline rules of a dossier's edition (intake.editions): the supplement window, the
term restarted on completion, and how late an apology may still be made.

Each rule reads its numbers from the edition that governs the dossier (by its receipt time) and
counts with wards.calendar. Days counted in whole days end at the counter's closing time, 17:00:
an instant after 17:00, or on a day off, counts on the next working day (as the appointment
arithmetic does for a receipt), so every boundary below is "until 17:00 of a named day".
"""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from intake.editions import edition_for
from intake.lifecycle import Action
from intake.models import Dossier
from intake.services._common import calendar_for
from onestop.errors import Conflict
from wards import calendar


def _day(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def supplement_window_days(dossier: Dossier) -> int:
    """The working days after receipt within which a supplement may be requested: the
    procedure's own window (a specialised law), else the governing edition's."""
    if dossier.supplement_window_days is not None:
        return dossier.supplement_window_days
    return edition_for(dossier.received_at).supplement_window_working_days


def supplement_last_day(dossier: Dossier, cal: calendar.WorkingCalendar) -> dt.date:
    """The last day on which a supplement may be requested (until 17:00).

    Decree 61/2018 Art. 19 (and Decree 118/2025 after it) asks for the request "within 3
    working days of receipt". A count of days from the day of receipt does not count that day
    (Civil Code 2015 Art. 147(1)) and ends with the end of its last day (Art. 148), so a dossier
    received Monday 10:00 may be sent back until Thursday 17:00, not only until Thursday 10:00:
    the hour of receipt does not shorten a window stated in days. A dossier received after
    closing or on a day off counts from the next working day, as its appointment does.
    """
    return calendar.last_working_day_within(
        dossier.received_at, supplement_window_days(dossier), cal
    )


def check_supplement_window(dossier: Dossier, now: dt.datetime, cal) -> None:
    """Conflict when `now` is after the supplement window of `dossier`."""
    last = supplement_last_day(dossier, cal)
    if calendar.effective_day(now, cal) > last:
        raise Conflict(
            _(
                "Đã quá thời hạn yêu cầu bổ sung hồ sơ %(code)s: chỉ được yêu cầu trong "
                "%(days)s ngày làm việc kể từ ngày tiếp nhận, chậm nhất 17:00 ngày %(last)s."
            )
            % {"code": dossier.code, "days": supplement_window_days(dossier), "last": _day(last)}
        )


def restarted_appointment(dossier: Dossier, completed_at: dt.datetime, cal) -> dt.datetime:
    """The appointment when the complete dossier is received at `completed_at`: the full term
    counted again from that moment, in the term's unit, with the same arithmetic as intake
    (Decree 61/2018 Art. 19: "Thời hạn giải quyết được tính lại từ đầu sau khi nhận đủ hồ sơ")."""
    return calendar.term_appointment_at(
        completed_at, dossier.processing_days, dossier.term_unit, cal
    )


def apology_last_day(dossier: Dossier, cal: calendar.WorkingCalendar) -> dt.date:
    """The last day on which the apology with a new date may be made (until 17:00).

    "At least one working day before the deadline": the apology must be made on a working day
    before the appointment's day, at the latest the edition's number of working days before it.
    Appointment Thursday 09:00, one working day: until Wednesday 17:00 — Wednesday 17:01 counts
    on Thursday (after closing) and is refused. An appointment on a day the city later declared
    off counts on the next working day.
    """
    days = edition_for(dossier.received_at).apology_latest_working_days_before_due
    due_day = calendar.effective_day(dossier.appointment_at, cal)
    return cal.nth_working_day_before(due_day, days) if days else due_day


def check_apology(dossier: Dossier, now: dt.datetime, cal) -> None:
    """Conflict when the edition's apologies are used up or `now` is too close to the date."""
    limit = edition_for(dossier.received_at).apology_limit
    # The events are the record: an apology whose date a later restart made void still counts.
    made = dossier.events.filter(action=Action.APOLOGISE).count()
    if made >= limit or (made == 0 and dossier.apology_appointment_at is not None):
        raise Conflict(
            _("Hồ sơ đã có Phiếu xin lỗi và hẹn lại; chỉ được hẹn lại %(limit)s lần.")
            % {"limit": limit}
        )
    last = apology_last_day(dossier, cal)
    if calendar.effective_day(now, cal) > last:
        raise Conflict(
            _(
                "Đã quá thời hạn xin lỗi và hẹn lại: phải thực hiện chậm nhất 17:00 ngày %(last)s, "
                "trước ngày hẹn trả %(due)s ít nhất %(days)s ngày làm việc."
            )
            % {
                "last": _day(last),
                "due": timezone.localtime(dossier.appointment_at).strftime("%H:%M %d/%m/%Y"),
                "days": edition_for(dossier.received_at).apology_latest_working_days_before_due,
            }
        )


def closed_step_reason(dossier: Dossier, action: str, now: dt.datetime) -> str:
    """Why the deadline rules no longer allow `action` on `dossier` at `now` ("" if they do).

    The page asks before offering a step, so a clerk sees the reason instead of a button that
    would only be refused; the service still checks when the step is taken.
    """
    checks = {
        Action.REQUEST_SUPPLEMENT: check_supplement_window,
        Action.APOLOGISE: check_apology,
    }
    check = checks.get(Action(action))
    if check is None:
        return ""
    try:
        check(dossier, now, calendar_for(dossier.ward.city_id))
    except Conflict as refusal:
        return refusal.message
    return ""
