"""The Mẫu 06 logbook (Sổ theo dõi hồ sơ) as a workbook.

Written in openpyxl's write-only mode from a query iterator, so its memory and query count stay
flat however many dossiers the period holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from intake.editions import Edition, edition_on
from onestop import spreadsheets
from reports.exports.workbooks import CENTER, save
from reports.periods import Period

LOGBOOK_COLUMNS = [
    (_l("TT"), 5),
    (_l("Mã hồ sơ"), 24),
    (_l("Tên thủ tục hành chính"), 36),
    (_l("Số lượng hồ sơ (bộ)"), 8),
    (_l("Tên cá nhân, tổ chức"), 22),
    (_l("Địa chỉ, số điện thoại"), 24),
    (_l("Cơ quan chủ trì giải quyết"), 24),
    (_l("Nhận hồ sơ (giờ, ngày)"), 16),
    (_l("Hẹn trả kết quả"), 16),
    (_l("Chuyển hồ sơ đến cơ quan giải quyết"), 16),
    (_l("Nhận kết quả từ cơ quan giải quyết"), 16),
    (_l("Trả kết quả cho cá nhân, tổ chức"), 16),
    (_l("Ghi chú"), 24),
]


def mask(value: str, visible: int = 3) -> str:
    """Personal data in lists: only the last `visible` characters show."""
    value = value or ""
    if len(value) <= visible:
        return "•" * len(value)
    return "•" * (len(value) - visible) + value[-visible:]


def mask_address(address: str) -> str:
    """Only the part after the last comma (the ward, the city) shows: "•••, Phú Hòa"."""
    address = (address or "").strip()
    if not address:
        return ""
    head, comma, tail = address.rpartition(",")
    return f"•••, {tail.strip()}" if comma and head else "•••"


# The columns that hold a moment (received, due, transferred, result, returned), counted from 0.
MOMENT_COLUMNS = range(7, 12)
# How a moment shows in the workbook: a real date-time cell, read the way the page prints it.
MOMENT_FORMAT = "hh:mm dd/mm/yyyy"


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y") if value else ""


def _local_moment(value) -> dt.datetime | None:
    """A moment as a spreadsheet holds it: local wall time, without a zone."""
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def logbook_line(number: int, dossier, moment: Callable = _moment) -> list:
    """One line of Sổ theo dõi hồ sơ; the address and phone are masked as in every list.

    Moments are text ("09:30 16/03/2026") for the page; the workbook passes its own `moment`.
    """
    due = dossier.apology_appointment_at or dossier.appointment_at
    note = []
    if dossier.apology_appointment_at:
        note.append(_("Hẹn lại (Phiếu xin lỗi)"))
    if dossier.status in ("refused", "withdrawn"):
        note.append(dossier.get_status_display())
    if dossier.return_method == "post":
        note.append(_("Trả qua bưu điện"))
    if dossier.timeliness == "late":
        note.append(_("Trễ hạn"))
    return [
        number,
        dossier.code,
        dossier.procedure_name,
        dossier.sets,
        dossier.applicant_name,
        f"{mask_address(dossier.applicant_address)} · {mask(dossier.applicant_phone)}",
        dossier.resolving_agency,
        moment(dossier.received_at),
        moment(due),
        moment(dossier.transferred_at),
        moment(dossier.resolved_at),
        moment(dossier.returned_at),
        "; ".join(str(n) for n in note),
    ]


def logbook_edition(period: Period) -> Edition:
    """The edition whose logbook form heads the book of `period`.

    A book is one form: for a period that spans two editions (one that includes 1/7/2025) it is
    the form in force on the period's last day, the day the book is closed.
    """
    return edition_on(period.last_day)


def logbook_form_line(period: Period) -> str:
    """ "Mẫu số 07 – Thông tư 03/2025/TT-VPCP": the form's number and circular."""
    edition = logbook_edition(period)
    return _("Mẫu số %(number)s – %(circular)s") % {
        "number": edition.form("logbook").number,
        "circular": edition.forms_circular,
    }


def logbook_workbook(dossiers: Iterator, *, ward, period: Period) -> bytes:
    """Mẫu 06 for a ward and period in write-only mode (rows streamed from the query)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("So theo doi")
    for index, (_label, width) in enumerate(LOGBOOK_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = 9  # A4

    def styled(value, *, bold=False, center=False):
        cell = spreadsheets.as_text(WriteOnlyCell(sheet, value=value))
        if bold:
            cell.font = Font(bold=True)
        if center:
            cell.alignment = CENTER
        return cell

    width = len(LOGBOOK_COLUMNS)
    sheet.append([styled(logbook_form_line(period))])
    sheet.append([styled(_("SỔ THEO DÕI HỒ SƠ"), bold=True)])
    sheet.append([styled(f"{ward} – {ward.city}")])
    sheet.append([styled(_("Kỳ: %(period)s") % {"period": period.label()})])
    sheet.append([])
    sheet.append([styled(str(label), bold=True, center=True) for label, _w in LOGBOOK_COLUMNS])
    sheet.append([styled(f"({i})", center=True) for i in range(1, width + 1)])
    for number, dossier in enumerate(dossiers, start=1):
        values = logbook_line(number, dossier, moment=_local_moment)
        for index in MOMENT_COLUMNS:
            if values[index] is not None:
                cell = WriteOnlyCell(sheet, value=values[index])
                cell.number_format = MOMENT_FORMAT
                values[index] = cell
        # Names, addresses and procedure names as typed at the counter: text, never a formula.
        sheet.append(spreadsheets.write_only_row(sheet, values))
    return save(workbook)
