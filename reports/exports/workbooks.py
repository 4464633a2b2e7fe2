"""Report files: Excel laid out like the official forms, CSV for machines.

Excel files are built with openpyxl: merged header rows with Vietnamese labels, column numbers
under the headings as the forms print them, number formats on every figure.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from onestop import spreadsheets
from reports.columns import INDEX_COLUMNS, PILOT_COLUMNS
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

# Biểu 06's figure columns in the form's order, after "STT" and the unit's name.
BIEU06_ORDER = [
    "total",
    "carried_over",
    "received_online",
    "received_direct_postal",
    "resolved",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "pending",
    "pending_within",
    "pending_overdue",
    "refused",
    "withdrawn",
]

# (first column, last column, top row, bottom row, label) of the three header rows, counted
# from column 1 (STT) and header row 1.
BIEU06_HEADER = [
    (1, 1, 1, 3, _l("STT")),
    (2, 2, 1, 3, _l("Đơn vị")),
    (3, 6, 1, 1, _l("Số hồ sơ nhận giải quyết")),
    (7, 10, 1, 1, _l("Kết quả giải quyết: số hồ sơ đã giải quyết")),
    (11, 13, 1, 1, _l("Số hồ sơ đang giải quyết")),
    (14, 14, 1, 3, _l("Từ chối")),
    (15, 15, 1, 3, _l("Rút hồ sơ")),
    (3, 3, 2, 3, _l("Tổng số")),
    (4, 4, 2, 3, _l("Từ kỳ trước chuyển qua")),
    (5, 6, 2, 2, _l("Mới tiếp nhận trong kỳ")),
    (5, 5, 3, 3, _l("Trực tuyến")),
    (6, 6, 3, 3, _l("Trực tiếp, dịch vụ bưu chính")),
    (7, 7, 2, 3, _l("Tổng số")),
    (8, 8, 2, 3, _l("Trước hạn")),
    (9, 9, 2, 3, _l("Đúng hạn")),
    (10, 10, 2, 3, _l("Quá hạn")),
    (11, 11, 2, 3, _l("Tổng số")),
    (12, 12, 2, 3, _l("Trong hạn")),
    (13, 13, 2, 3, _l("Quá hạn")),
]

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
}


def _title_block(sheet, title: str, unit: str, period: Period, width: int) -> int:
    """The form's heading lines; returns the first row free below them."""
    lines = [
        (_("Biểu số 06 (Thông tư 01/2020/TT-VPCP)"), Font(italic=True, size=10)),
        (title, Font(bold=True, size=13)),
        (unit, Font(size=11)),
        (_("Kỳ báo cáo: %(period)s") % {"period": period.label()}, Font(size=11)),
    ]
    for row, (text, font) in enumerate(lines, start=1):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        cell = sheet.cell(row=row, column=1, value=text)
        cell.font = font
        cell.alignment = Alignment(horizontal="center")
    return len(lines) + 2


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


def bieu06_workbook(rows: list[Row], *, unit: str, period: Period, unit_heading: str = "") -> bytes:
    """Biểu 06 as the official form lays it out: one row per ward (or field) and the totals."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Bieu 06"
    width = 2 + len(BIEU06_ORDER)
    top = _title_block(
        sheet, _("TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"), unit, period, width
    )
    spans = list(BIEU06_HEADER)
    if unit_heading:
        spans[1] = (2, 2, 1, 3, unit_heading)
    body = _header(sheet, top, spans, width)
    end = _body(sheet, body, rows, BIEU06_ORDER)
    _widths(sheet, width)
    sheet.freeze_panes = sheet.cell(row=body, column=3)
    sheet.print_options.horizontalCentered = True
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    _footer(sheet, end)
    return save(workbook)


def pilot_workbook(report: Report, *, unit: str) -> bytes:
    """The pilot view: one sheet of figures by ward, one of the national index subset."""
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
    return save(workbook)


# --- CSV --------------------------------------------------------------------------------------


def _csv(header: list[str], lines: Iterable[list]) -> str:
    buffer = io.StringIO()
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
