"""Report files: Excel laid out like the official forms, CSV for machines.

Excel files are built with openpyxl: merged header rows with Vietnamese labels, column numbers
under the headings as the forms print them, number formats on every figure.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from onestop import spreadsheets
from reports.columns import (
    BIEU06_FIELD_HEADING,
    BIEU06_FORM,
    BIEU06_HEADER,
    BIEU06_NUMBER_HEADING,
    BIEU06_ORDER,
    BIEU06_UNIT_HEADING,
    BIEU06_WIDTH,
    CLOSED_COLUMNS,
    CLOSED_ORDER,
    CLOSED_TITLE,
    HALL_COLUMNS,
    INDEX_COLUMNS,
    PILOT_COLUMNS,
)
from reports.periods import Period
from reports.selectors import Report, Row

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COUNT_FORMAT = "#,##0"
SHARE_FORMAT = "0.0"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")
GROUP_FILL = PatternFill("solid", fgColor="FFF3C4")
TOTAL_FILL = PatternFill("solid", fgColor="E8E8E8")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)

# The postal workers' own figures: the export's last group and the report page's second table.
PILOT_WORK = [
    "shifts_intake",
    "shifts_result_return",
    "shifts_data_entry",
    "shifts_guidance",
    "shifts_out_of_list_intake",
    "guidance_sessions",
    "data_entry_progress",
]
PILOT_GROUPS = [
    (
        _l("Tiếp nhận"),
        ["received", "received_postal_worker", "received_officer", "postal_worker_share"],
    ),
    (
        _l("Kết quả theo người tiếp nhận"),
        [
            "on_time_share_postal_worker",
            "on_time_share_officer",
            "returned_postal_worker",
            "returned_officer",
        ],
    ),
    (
        _l("Hồ sơ"),
        [
            "out_of_list",
            "returned_counter",
            "returned_post",
            "refused",
            "withdrawn",
            "mean_processing_days",
            "digitised_share",
            "satisfaction_share",
        ],
    ),
    (
        _l("Công việc của nhân viên bưu điện"),
        PILOT_WORK,
    ),
]
SHARES = {name for name, _label in INDEX_COLUMNS} | {
    "postal_worker_share",
    "on_time_share_postal_worker",
    "on_time_share_officer",
    "digitised_share",
    "satisfaction_share",
    "data_entry_progress",
    "mean_processing_days",
    # the hall's mean minutes (its 90th percentiles are whole minutes)
    *(name for name, _label in HALL_COLUMNS if "_mean_" in name),
}


def _lines(sheet, first_row: int, lines, width: int) -> int:
    """Full-width lines of text, (text, font, alignment); returns the row after the last."""
    for row, (text, font, horizontal) in enumerate(lines, start=first_row):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        cell = sheet.cell(row=row, column=1, value=str(text))
        cell.font = font
        cell.alignment = Alignment(horizontal=horizontal)
    return first_row + len(lines)


def _title_block(sheet, title: str, unit: str, period: Period, width: int) -> int:
    """A report's heading lines; returns the first row free below them."""
    lines = [
        (title, Font(bold=True, size=13), "center"),
        (unit, Font(size=11), "center"),
        (_("Kỳ báo cáo: %(period)s") % {"period": period.label()}, Font(size=11), "center"),
    ]
    return _lines(sheet, 1, lines, width) + 1


def bieu06_heading(unit: str, period: Period) -> list[tuple[str, str]]:
    """The lines above Biểu 06's table, (kind, text), as page and workbook print them."""
    form = BIEU06_FORM
    return [
        ("code", str(form["code"])),
        ("issued_by", str(form["issued_by"])),
        ("title", str(form["title"])),
        ("reporting_unit", str(form["reporting_unit"]) % {"unit": unit}),
        ("period", str(form["period"]) % {"period": period.name()}),
        ("span", f"({period.span()})"),
        ("measure", str(form["measure"])),
    ]


HEADING_STYLE = {
    "code": (Font(bold=True, size=10), "left"),
    "issued_by": (Font(italic=True, size=9), "left"),
    "title": (Font(bold=True, size=13), "center"),
    "reporting_unit": (Font(size=11), "center"),
    "period": (Font(bold=True, size=11), "center"),
    "span": (Font(italic=True, size=11), "center"),
    "measure": (Font(italic=True, size=10), "right"),
}


def overdue_note(as_of: dt.datetime | None) -> str:
    """Said under the form while its period is not over: what "in progress" is counted at."""
    if as_of is None:
        return ""
    return _(
        "Kỳ báo cáo chưa kết thúc: số hồ sơ đang giải quyết, trong hạn và quá hạn (cột 11–13) "
        "tính đến %(at)s."
    ) % {"at": timezone.localtime(as_of).strftime("%H:%M ngày %d/%m/%Y")}


def _header(sheet, top: int, spans, numbering: int) -> int:
    """Merged header cells, then a row of column numbers (1), (2)…; returns the body's row."""
    for first, last, row_from, row_to, label in spans:
        r1, r2 = top + row_from - 1, top + row_to - 1
        if (first, r1) != (last, r2):
            sheet.merge_cells(start_row=r1, start_column=first, end_row=r2, end_column=last)
        for r in range(r1, r2 + 1):
            for c in range(first, last + 1):
                cell = sheet.cell(row=r, column=c)
                cell.border = BOX
                cell.fill = HEAD_FILL
        cell = sheet.cell(row=r1, column=first, value=str(label))
        cell.font = Font(bold=True)
        cell.alignment = CENTER
    depth = max(row_to for _a, _b, _c, row_to, _d in spans)
    number_row = top + depth
    for column in range(1, numbering + 1):
        cell = sheet.cell(row=number_row, column=column, value=f"({column})")
        cell.alignment = CENTER
        cell.font = Font(italic=True, size=9)
        cell.border = BOX
    return number_row + 1


def _body(sheet, first_row: int, rows: list[Row], names: list[str]) -> int:
    number = 0
    row_index = first_row
    for row in rows:
        fill = {"group": GROUP_FILL, "total": TOTAL_FILL}.get(row.kind)
        if row.kind in ("ward", "field"):
            number += 1
            label_number = number
        else:
            label_number = None
        sheet.cell(row=row_index, column=1, value=label_number)
        sheet.cell(row=row_index, column=2, value=row.label)
        for offset, name in enumerate(names, start=3):
            value = row.values.get(name)
            cell = sheet.cell(row=row_index, column=offset, value=value)
            cell.number_format = SHARE_FORMAT if name in SHARES else COUNT_FORMAT
        for column in range(1, len(names) + 3):
            cell = sheet.cell(row=row_index, column=column)
            cell.border = BOX
            if fill is not None:
                cell.fill = fill
                cell.font = Font(bold=True)
        row_index += 1
    return row_index


def _widths(sheet, columns: int, name_width: int = 28) -> None:
    sheet.column_dimensions["A"].width = 5
    sheet.column_dimensions["B"].width = name_width
    for column in range(3, columns + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 12


def save(workbook: Workbook) -> bytes:
    if not workbook.write_only:
        # Ward, field and procedure names are typed by people: text, never a formula.
        spreadsheets.text_cells(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _footer(sheet, row: int) -> None:
    stamp = timezone.localtime().strftime("%H:%M %d/%m/%Y")
    sheet.cell(row=row + 1, column=2, value=_("Lập lúc %(at)s từ dữ liệu onestop.") % {"at": stamp})
    sheet.cell(row=row + 1, column=2).font = Font(italic=True, size=9)


def bieu06_workbook(
    rows: list[Row],
    *,
    unit: str,
    period: Period,
    by_field: bool = False,
    as_of: dt.datetime | None = None,
) -> bytes:
    """Biểu 06 as the form lays it out: its heading lines, one row per ward (or field) and the
    total, the column numbers (1)…(13), the signature; then, apart from the form, the refused,
    stopped and withdrawn dossiers. `as_of`: the instant a period not yet over is counted at."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Bieu 06"
    width = BIEU06_WIDTH
    lines = [(text, *HEADING_STYLE[kind]) for kind, text in bieu06_heading(unit, period)]
    top = _lines(sheet, 1, lines, width) + 1
    spans = list(BIEU06_HEADER)
    if by_field:
        spans[1] = (2, 2, 1, 3, BIEU06_FIELD_HEADING)
    body = _header(sheet, top, spans, width)
    end = _body(sheet, body, rows, BIEU06_ORDER)
    _widths(sheet, width)
    sheet.freeze_panes = sheet.cell(row=body, column=3)
    sheet.print_options.horizontalCentered = True
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    note = overdue_note(as_of)
    if note:
        sheet.cell(row=end, column=2, value=note).font = Font(italic=True, size=9)
        end += 1
    end = _signature(sheet, end + 1, width)
    end = _closed_table(sheet, end + 1, rows, by_field=by_field)
    _footer(sheet, end)
    return save(workbook)


def _signature(sheet, row: int, width: int) -> int:
    """The form's signature block, at the right under the table; returns the row after it."""
    first = width - 4
    for offset, (text, font) in enumerate(
        [
            (BIEU06_FORM["place_date"], Font(italic=True)),
            (BIEU06_FORM["signer"], Font(bold=True)),
        ]
    ):
        sheet.merge_cells(
            start_row=row + offset, start_column=first, end_row=row + offset, end_column=width
        )
        cell = sheet.cell(row=row + offset, column=first, value=str(text))
        cell.font = font
        cell.alignment = Alignment(horizontal="center")
    return row + 2 + 4  # room to sign


def _closed_table(sheet, row: int, rows: list[Row], *, by_field: bool) -> int:
    """The refused, stopped and withdrawn dossiers, titled as not part of the form."""
    sheet.cell(row=row, column=1, value=str(CLOSED_TITLE)).font = Font(bold=True, size=11)
    unit_heading = BIEU06_FIELD_HEADING if by_field else BIEU06_UNIT_HEADING
    headings = [BIEU06_NUMBER_HEADING, unit_heading, *(label for _n, label in CLOSED_COLUMNS)]
    first = row + 1
    for column, label in enumerate(headings, start=1):
        cell = sheet.cell(row=first, column=column, value=str(label))
        cell.font = Font(bold=True)
        cell.alignment = CENTER
        cell.border = BOX
        cell.fill = HEAD_FILL
    return _body(sheet, first + 1, rows, CLOSED_ORDER)


def pilot_workbook(report: Report, *, unit: str) -> bytes:
    """The pilot view: one sheet of figures by ward, one of the national index subset, one of
    the hall's waits."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Thi diem"
    labels = dict(PILOT_COLUMNS)
    names = [name for _group, members in PILOT_GROUPS for name in members]
    width = 2 + len(names)
    top = _title_block(
        sheet, _("KẾT QUẢ THÍ ĐIỂM BƯU ĐIỆN THAM GIA BỘ PHẬN MỘT CỬA"), unit, report.period, width
    )
    spans = [(1, 1, 1, 2, "STT"), (2, 2, 1, 2, _("Đơn vị"))]
    column = 3
    for group, members in PILOT_GROUPS:
        spans.append((column, column + len(members) - 1, 1, 1, str(group)))
        for offset, name in enumerate(members):
            spans.append((column + offset, column + offset, 2, 2, str(labels[name])))
        column += len(members)
    body = _header(sheet, top, spans, width)
    end = _body(sheet, body, report.rows, names)
    _widths(sheet, width)
    sheet.freeze_panes = sheet.cell(row=body, column=3)
    sheet.page_setup.orientation = "landscape"
    _footer(sheet, end)

    index = workbook.create_sheet("Chi so")
    index_names = [name for name, _label in INDEX_COLUMNS]
    width = 2 + len(index_names)
    top = _title_block(
        index, _("MỘT SỐ CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP"), unit, report.period, width
    )
    spans = [(1, 1, 1, 1, "STT"), (2, 2, 1, 1, _("Đơn vị"))] + [
        (3 + i, 3 + i, 1, 1, str(label)) for i, (_name, label) in enumerate(INDEX_COLUMNS)
    ]
    body = _header(index, top, spans, width)
    _body(index, body, report.rows, index_names)
    _widths(index, width)

    hall = workbook.create_sheet("Xep hang")
    hall_names = [name for name, _label in HALL_COLUMNS]
    width = 2 + len(hall_names)
    top = _title_block(
        hall, _("THỜI GIAN CHỜ VÀ PHỤC VỤ TẠI QUẦY (PHÚT)"), unit, report.period, width
    )
    spans = [(1, 1, 1, 1, "STT"), (2, 2, 1, 1, _("Đơn vị"))] + [
        (3 + i, 3 + i, 1, 1, str(label)) for i, (_name, label) in enumerate(HALL_COLUMNS)
    ]
    body = _header(hall, top, spans, width)
    _body(hall, body, report.rows, hall_names)
    _widths(hall, width)
    return save(workbook)


# --- CSV --------------------------------------------------------------------------------------


# Excel on Windows reads a CSV file as UTF-8 only when it starts with the byte order mark;
# without it Vietnamese letters come out garbled.
UTF8_BOM = "\ufeff"


def _csv(header: list[str], lines: Iterable[list]) -> str:
    buffer = io.StringIO(UTF8_BOM)
    buffer.seek(0, io.SEEK_END)
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(spreadsheets.csv_row(header))
    writer.writerows(spreadsheets.csv_row(line) for line in lines)
    return buffer.getvalue()


def _csv_value(value):
    return "" if value is None else value


def report_csv(report: Report, names: list[str]) -> str:
    """One line per ward, group subtotal and the total; English column names for machines."""
    header = ["row_kind", "ward_slug", "ward_name", "pilot_phase", "from", "to", *names]
    lines = []
    for row in report.rows:
        lines.append(
            [
                row.kind,
                row.ward.slug if row.ward is not None and row.kind == "ward" else "",
                row.label,
                "" if row.pilot_phase is None else row.pilot_phase,
                report.period.first_day.isoformat(),
                report.period.last_day.isoformat(),
                *(_csv_value(row.values.get(name)) for name in names),
            ]
        )
    return _csv(header, lines)
