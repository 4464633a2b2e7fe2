"""The apology with a new appointment (Phiếu xin lỗi và hẹn lại, Mẫu 04): as many times as the
dossier's edition allows (once), and no later than its number of working days before the date
(intake.services.deadlines)."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from intake.services._common import calendar_for, require_note
from intake.services.deadlines import check_apology
from onestop.errors import InvalidInput
from wards import calendar


def apologise(dossier, note, details, now: dt.datetime) -> list[str]:
    require_note(note, _("Ghi rõ lý do chậm trễ (nội dung Phiếu xin lỗi và hẹn lại)."))
    cal = calendar_for(dossier.ward.city_id)
    check_apology(dossier, now, cal)
    new_date = details.new_appointment_at
    if new_date is None:
        raise InvalidInput(_("Nhập ngày hẹn trả mới."), field="new_appointment_at")
    if timezone.is_naive(new_date):
        new_date = timezone.make_aware(new_date)
    # The citizen is told a time the section is open; a date typed at midnight or on a day off
    # means the start of the next working period.
    new_date = calendar.add_working_time(new_date, dt.timedelta(0), cal)
    # Later in *working* time, not merely on the clock: 13:30 is no later than 11:30 the same
    # day, and a later supplement pause must move both dates without making them meet.
    if new_date <= dossier.appointment_at or not calendar.working_time_between(
        dossier.appointment_at, new_date, cal
    ):
        raise InvalidInput(
            _("Ngày hẹn mới phải sau ngày hẹn cũ (%(old)s).")
            % {"old": timezone.localtime(dossier.appointment_at).strftime("%H:%M %d/%m/%Y")},
            field="new_appointment_at",
        )
    dossier.apology_appointment_at = new_date
    return ["apology_appointment_at"]
