"""The two tables of daily figures, their columns, and the day a moment falls on."""

from __future__ import annotations

import datetime as dt
import operator
from collections import Counter
from dataclasses import dataclass
from functools import reduce

from django.db.models import F
from django.utils import timezone

from intake.models import Channel, DailyFigures, DailyProcedureFigures, Status, Timeliness

KEY_FIELDS = ("id", "ward", "procedure", "day")
COLUMNS: tuple[str, ...] = tuple(
    f.name for f in DailyFigures._meta.concrete_fields if f.name not in KEY_FIELDS
)


@dataclass(frozen=True)
class Table:
    """One of the two tables: its model and the columns besides the day that key a row."""

    model: type
    keys: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.model._meta.db_table


BY_WARD = Table(DailyFigures, ("ward_id",))
BY_PROCEDURE = Table(DailyProcedureFigures, ("ward_id", "procedure_id"))
TABLES = (BY_WARD, BY_PROCEDURE)
RECEIVED_BY_CHANNEL = {
    Channel.ONLINE: "received_online",
    Channel.DIRECT: "received_direct",
    Channel.POSTAL: "received_postal",
}
CLOSING = {Status.REFUSED: "refused", Status.WITHDRAWN: "withdrawn"}
PUNCTUAL = (Timeliness.EARLY, Timeliness.ON_TIME)
# The columns whose sum is a day's receipts, and a day's finished dossiers.
RECEIVED = tuple(RECEIVED_BY_CHANNEL.values())
RESOLVED = ("resolved_early", "resolved_on_time", "resolved_late")
FINISHED = (*RESOLVED, "refused", "withdrawn")


def columns_sum(names) -> F:
    """The sum of some columns of a row, as one expression (`Sum(columns_sum(RECEIVED))`)."""
    return reduce(operator.add, (F(name) for name in names))


Cells = Counter  # {(day, column): count}


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(timezone.get_default_timezone()).date()


Rows = dict[tuple, dict[str, int]]  # {(*key values, day): {column: value}}
