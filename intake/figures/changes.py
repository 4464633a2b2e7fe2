"""Figures kept as each dossier changes: the difference of its cells, added in its transaction."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db import connection

from intake.figures.tables import (
    CLOSING,
    COLUMNS,
    PUNCTUAL,
    RECEIVED_BY_CHANNEL,
    TABLES,
    Cells,
    local_day,
)
from intake.models import Dossier, ReceiverKind, ReturnMethod, Satisfaction


@dataclass(frozen=True)
class Facts:
    """What of one dossier its report figures depend on."""

    ward_id: int
    procedure_id: int
    received_at: dt.datetime
    channel: int
    receiver_kind: str
    out_of_list: bool
    promised_at: dt.datetime
    status: str
    resolved_at: dt.datetime | None = None
    timeliness: str = ""
    paused_seconds: int = 0
    returned_at: dt.datetime | None = None
    return_method: str = ""
    satisfaction: int | None = None
    closed_at: dt.datetime | None = None  # the refusal or withdrawal
    digitised: bool = False
    working_days: int = 0  # receipt to result, for a resolved dossier

    @classmethod
    def of(cls, dossier: Dossier, **extra) -> Facts:
        return cls(
            ward_id=dossier.ward_id,
            procedure_id=dossier.procedure_id,
            received_at=dossier.received_at,
            channel=dossier.channel,
            receiver_kind=dossier.receiver_kind,
            out_of_list=dossier.out_of_list,
            promised_at=dossier.due_at,
            status=dossier.status,
            resolved_at=dossier.resolved_at,
            timeliness=dossier.timeliness,
            paused_seconds=dossier.paused_seconds,
            returned_at=dossier.returned_at,
            return_method=dossier.return_method,
            satisfaction=dossier.satisfaction,
            **extra,
        )


def contributions(facts: Facts) -> Cells:
    """The cells one dossier adds to its ward's rows."""
    cells: Cells = Counter()
    kind = "postal_worker" if facts.receiver_kind == ReceiverKind.POSTAL_WORKER else "officer"
    received = local_day(facts.received_at)
    cells[received, RECEIVED_BY_CHANNEL[facts.channel]] += 1
    cells[received, f"received_{kind}"] += 1
    if facts.out_of_list:
        cells[received, "out_of_list"] += 1
    if facts.digitised:
        cells[received, "digitised"] += 1
    finished = None
    if facts.resolved_at is not None:
        finished = local_day(facts.resolved_at)
        cells[finished, f"resolved_{facts.timeliness}"] += 1
        cells[finished, f"resolved_{kind}"] += 1
        if facts.timeliness in PUNCTUAL:
            cells[finished, f"punctual_{kind}"] += 1
        cells[finished, "paused_seconds"] += facts.paused_seconds
        cells[finished, "working_days"] += facts.working_days
    if facts.returned_at is not None:
        returned = local_day(facts.returned_at)
        cells[returned, f"returned_{kind}"] += 1
        if facts.return_method == ReturnMethod.COUNTER:
            cells[returned, "returned_counter"] += 1
        elif facts.return_method == ReturnMethod.POST:
            cells[returned, "returned_post"] += 1
        if facts.satisfaction is not None:
            cells[returned, "rated"] += 1
            if facts.satisfaction >= Satisfaction.SATISFIED:
                cells[returned, "satisfied"] += 1
    if facts.status in CLOSING and facts.closed_at is not None:
        finished = local_day(facts.closed_at)
        cells[finished, CLOSING[facts.status]] += 1
    # Overdue on every day after the one last promised, up to the day it finished.
    promised = local_day(facts.promised_at)
    cells[promised, "overdue_from"] += 1
    if finished is not None:
        cells[max(promised, finished), "overdue_until"] += 1
    return cells


def record_change(before: Facts | None, after: Facts) -> None:
    """Add what changed between two states of one dossier (None: it is new) to its rows.

    Must run inside the transaction that changes the dossier.
    """
    cells = contributions(after)
    if before is not None:
        cells.subtract(contributions(before))
    _add(after.ward_id, after.procedure_id, cells)


def record_digitised(dossier: Dossier, change: int) -> None:
    """The dossier got its first current scan (+1) or lost its last one (-1)."""
    cells = Counter({(local_day(dossier.received_at), "digitised"): change})
    _add(dossier.ward_id, dossier.procedure_id, cells)


def _add(ward_id: int, procedure_id: int, cells: Cells) -> None:
    by_day: dict[dt.date, dict[str, int]] = defaultdict(dict)
    for (day, column), n in cells.items():
        if n:
            by_day[day][column] = n
    if not by_day:
        return
    # Days in order, so two transactions touching the same days lock them in the same order.
    days = sorted(by_day)
    key_values = {"ward_id": ward_id, "procedure_id": procedure_id}
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in COLUMNS)
    statements = []
    for table in TABLES:
        keys = [*table.keys, "day"]
        name = quote(table.name)
        placeholders = ", ".join(["%s"] * (len(COLUMNS) + len(keys)))
        values = ", ".join(f"({placeholders})" for _ in days)
        updates = ", ".join(
            f"{quote(c)} = {name}.{quote(c)} + EXCLUDED.{quote(c)}" for c in COLUMNS
        )
        params: list = []
        for day in days:
            params += [*(key_values[k] for k in table.keys), day]
            params += [by_day[day].get(c, 0) for c in COLUMNS]
        # Names come from the models, every value is a parameter.
        sql = (
            f"INSERT INTO {name} ({', '.join(keys)}, {names}) VALUES {values} "  # noqa: S608
            f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"
        )
        statements.append((sql, params))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Both tables in one round trip: the first upsert as a data-modifying WITH.
            (first, first_params), (second, second_params) = statements
            cursor.execute(f"WITH figures AS ({first}) {second}", first_params + second_params)
            return
        for sql, params in statements:
            cursor.execute(sql, params)
