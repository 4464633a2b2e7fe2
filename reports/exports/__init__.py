"""Report files: the official forms in Excel, CSV for machines, the Mẫu 06 logbook."""

from reports.exports.logbook import (
    LOGBOOK_COLUMNS,
    logbook_line,
    logbook_workbook,
    mask,
    mask_address,
)
from reports.exports.workbooks import (
    BIEU06_ORDER,
    PILOT_WORK,
    XLSX,
    bieu06_workbook,
    pilot_workbook,
    report_csv,
)

__all__ = [
    "BIEU06_ORDER",
    "LOGBOOK_COLUMNS",
    "PILOT_WORK",
    "XLSX",
    "bieu06_workbook",
    "logbook_line",
    "logbook_workbook",
    "mask",
    "mask_address",
    "pilot_workbook",
    "report_csv",
]
