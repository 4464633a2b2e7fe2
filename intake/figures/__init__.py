"""Report figures per ward and local day, kept as each dossier changes.

Two tables with the same columns: per ward and day (DailyFigures, what ward and city reports
read) and per ward, procedure and day (DailyProcedureFigures, for a ward's form by field).

A dossier contributes to a few (day, column) cells: its receipt to the day it was received
(by channel, by receiver, out of list, digitised), its result to the day it was resolved (by
timeliness, by receiver, paused time, working days taken), its return to the day it was handed
back, its refusal or withdrawal to that day; and to the stock of overdue dossiers from the day
last promised (`overdue_from`) until the day it finished, if later (`overdue_until`).

The services compute a dossier's contributions before and after each change and add the
difference to the rows in the same transaction (`record_change`), so the table never lags. The
same figures are recomputed from the dossiers by grouped queries (`recompute`), which is how
the table is built after a bulk load (`rebuild`) and how `manage.py check_report_figures`
proves it right (`differences`). The reports read sums over a range of days (`totals`).

Days are local (the project's time zone), like the reporting periods of reports.periods: an
instant is before a period's start exactly when its local day is before the period's first day.

One module per part: the tables and their columns (`tables`), the differences written on each
change (`changes`), the recomputation and the check (`recompute`), the rebuild (`rebuild`), and
what the reports read (`totals`). Import them from here. Other apps' kept figures register in
`others` and are checked and rebuilt with these.
"""

from intake.figures.changes import (
    Facts,
    contributions,
    record_change,
    record_digitised,
)
from intake.figures.others import KeptFigures, figures_register, registered
from intake.figures.rebuild import rebuild
from intake.figures.recompute import (
    differences,
    recompute,
    refresh_working_days,
    stored,
)
from intake.figures.tables import (
    BY_PROCEDURE,
    BY_WARD,
    CLOSING,
    COLUMNS,
    FINISHED,
    KEY_FIELDS,
    PUNCTUAL,
    RECEIVED,
    RECEIVED_BY_CHANNEL,
    RESOLVED,
    TABLES,
    Cells,
    Rows,
    Table,
    columns_sum,
    local_day,
)
from intake.figures.totals import totals

__all__ = [
    "BY_PROCEDURE",
    "BY_WARD",
    "CLOSING",
    "COLUMNS",
    "FINISHED",
    "KEY_FIELDS",
    "PUNCTUAL",
    "RECEIVED",
    "RECEIVED_BY_CHANNEL",
    "RESOLVED",
    "TABLES",
    "Cells",
    "Facts",
    "KeptFigures",
    "Rows",
    "Table",
    "columns_sum",
    "contributions",
    "differences",
    "figures_register",
    "local_day",
    "rebuild",
    "recompute",
    "record_change",
    "record_digitised",
    "refresh_working_days",
    "registered",
    "stored",
    "totals",
]
