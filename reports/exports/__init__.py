"""Report files: the official forms in Excel, CSV for machines, the Mẫu 06 logbook."""

from reports.exports.logbook import (
    LOGBOOK_COLUMNS,
    logbook_edition,
    logbook_form_line,
    logbook_line,
    logbook_workbook,
    mask,
    mask_address,
)
from reports.exports.workbooks import (
    PILOT_WORK,
    XLSX,
    bieu06_heading,
    bieu06_workbook,
    overdue_note,
    pilot_workbook,
    report_csv,
)

__all__ = [
    "LOGBOOK_COLUMNS",
    "PILOT_WORK",
    "XLSX",
    "bieu06_heading",
    "bieu06_workbook",
    "logbook_edition",
    "logbook_form_line",
    "logbook_line",
    "logbook_workbook",
    "mask",
    "mask_address",
    "overdue_note",
    "pilot_workbook",
    "report_csv",
]
