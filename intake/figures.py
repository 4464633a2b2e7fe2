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
proves it right (`differences`).

Days are local (the project's time zone), like the reporting periods of wards.periods: an
instant is before a period's start exactly when its local day is before the period's first day.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import reduce

from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone

from intake.models import (
    Channel,
    DailyFigures,
    DailyProcedureFigures,
    Dossier,
    DossierEvent,
    DossierFile,
    ReceiverKind,
    ReturnMethod,
    Satisfaction,
    Status,
    Timeliness,
)

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


# --- recomputed from the dossiers -------------------------------------------------------------

Rows = dict[tuple, dict[str, int]]  # {(*key values, day): {column: value}}


def _count(condition: Q | None = None) -> Count:
    return Count("pk", filter=condition)


def _day(expression) -> TruncDate:
    return TruncDate(expression, tzinfo=timezone.get_default_timezone())


def recompute(
    table: Table = BY_WARD,
    ward_ids: Iterable[int] | None = None,
    *,
    calendar_for: Callable | None = None,
) -> Rows:
    """Every row of `table`, recomputed from the dossiers and their events (9 queries).

    `calendar_for(ward_id)` gives the working calendar that counts a result's working days;
    by default each city's current calendar.
    """
    dossiers = Dossier.objects.all()
    events = DossierEvent.objects.filter(action__in=["refuse", "withdraw"])
    if ward_ids is not None:
        ward_ids = list(ward_ids)
        dossiers = dossiers.filter(ward_id__in=ward_ids)
        events = events.filter(dossier__ward_id__in=ward_ids)
    calendar_for = calendar_for or _current_calendars()
    keys = list(table.keys)
    event_keys = [f"dossier__{k}" for k in keys]
    rows: Rows = defaultdict(lambda: dict.fromkeys(COLUMNS, 0))

    def merge(queryset, names=keys):
        for row in queryset:
            cells = rows[(*(row.pop(k) for k in names), row.pop("day"))]
            for column, n in row.items():
                cells[column] += n or 0

    postal_worker = Q(receiver_kind=ReceiverKind.POSTAL_WORKER)
    officer = Q(receiver_kind=ReceiverKind.OFFICER)
    current_files = DossierFile.objects.filter(superseded_at__isnull=True).values("dossier_id")
    merge(
        dossiers.values(*keys, day=_day("received_at"))
        .order_by()
        .annotate(
            received_online=_count(Q(channel=Channel.ONLINE)),
            received_direct=_count(Q(channel=Channel.DIRECT)),
            received_postal=_count(Q(channel=Channel.POSTAL)),
            received_postal_worker=_count(postal_worker),
            received_officer=_count(officer),
            out_of_list=_count(Q(out_of_list=True)),
            digitised=_count(Q(pk__in=current_files)),
        )
    )
    resolved = dossiers.filter(resolved_at__isnull=False)
    punctual = Q(timeliness__in=PUNCTUAL)
    merge(
        resolved.values(*keys, day=_day("resolved_at"))
        .order_by()
        .annotate(
            resolved_early=_count(Q(timeliness=Timeliness.EARLY)),
            resolved_on_time=_count(Q(timeliness=Timeliness.ON_TIME)),
            resolved_late=_count(Q(timeliness=Timeliness.LATE)),
            resolved_postal_worker=_count(postal_worker),
            resolved_officer=_count(officer),
            punctual_postal_worker=_count(postal_worker & punctual),
            punctual_officer=_count(officer & punctual),
            paused_seconds=Sum("paused_seconds"),
        )
    )
    for key, days in _working_days(table, resolved, calendar_for).items():
        rows[key]["working_days"] += days
    merge(
        dossiers.filter(returned_at__isnull=False)
        .values(*keys, day=_day("returned_at"))
        .order_by()
        .annotate(
            returned_postal_worker=_count(postal_worker),
            returned_officer=_count(officer),
            returned_counter=_count(Q(return_method=ReturnMethod.COUNTER)),
            returned_post=_count(Q(return_method=ReturnMethod.POST)),
            rated=_count(Q(satisfaction__isnull=False)),
            satisfied=_count(Q(satisfaction__gte=Satisfaction.SATISFIED)),
        )
    )
    merge(
        events.values(*event_keys, day=_day("at"))
        .order_by()
        .annotate(
            refused=_count(Q(action="refuse")),
            withdrawn=_count(Q(action="withdraw")),
        ),
        event_keys,
    )
    promised = Coalesce("apology_appointment_at", "appointment_at")
    merge(dossiers.values(*keys, day=_day(promised)).order_by().annotate(overdue_from=_count()))
    merge(
        resolved.values(*keys, day=_day(Greatest(promised, "resolved_at")))
        .order_by()
        .annotate(overdue_until=_count())
    )
    closed_promise = Coalesce("dossier__apology_appointment_at", "dossier__appointment_at")
    merge(
        events.values(*event_keys, day=_day(Greatest(closed_promise, "at")))
        .order_by()
        .annotate(overdue_until=_count()),
        event_keys,
    )
    return dict(rows)


def _current_calendars() -> Callable:
    """ward id -> the current working calendar of its city (one query per city)."""
    from wards.models import Ward
    from wards.selectors import working_calendar

    cities = dict(Ward.objects.values_list("pk", "city_id"))
    calendars = {city: working_calendar(city_id=city) for city in set(cities.values())}
    return lambda ward_id: calendars[cities[ward_id]]


def _working_days(table: Table, resolved, calendar_for: Callable) -> dict[tuple, int]:
    """Working days from receipt to result, summed per row of `table` (by the day resolved).

    They depend on the calendar, so they are counted per (day received, day resolved) pair.
    """
    pairs = (
        resolved.values(*table.keys, day=_day("resolved_at"), received=_day("received_at"))
        .order_by()
        .annotate(n=Count("pk"))
    )
    totals: dict[tuple, int] = defaultdict(int)
    for row in pairs:
        days = calendar_for(row["ward_id"]).working_days_between(row["received"], row["day"])
        totals[(*(row[k] for k in table.keys), row["day"])] += row["n"] * days
    return totals


def _write(table: Table, rows: Rows, update_fields: list[str]) -> None:
    model = table.model
    names = [k.removesuffix("_id") for k in table.keys]
    model.objects.bulk_create(
        [
            model(**dict(zip([*table.keys, "day"], key, strict=True)), **cells)
            for key, cells in rows.items()
        ],
        batch_size=2000,
        update_conflicts=True,
        unique_fields=[*names, "day"],
        update_fields=update_fields,
    )


def _rows_of(table: Table, ward_ids: list[int] | None):
    rows = table.model.objects.all()
    return rows if ward_ids is None else rows.filter(ward_id__in=ward_ids)


@transaction.atomic
def refresh_working_days(ward_ids: Iterable[int]) -> None:
    """Recount the working days of the wards' results: their city's calendar has changed."""
    ward_ids = list(ward_ids)
    resolved = Dossier.objects.filter(ward_id__in=ward_ids, resolved_at__isnull=False)
    calendar_for = _current_calendars()
    for table in TABLES:
        totals = _working_days(table, resolved, calendar_for)
        _rows_of(table, ward_ids).exclude(working_days=0).update(working_days=0)
        _write(table, {key: {"working_days": n} for key, n in totals.items()}, ["working_days"])


def stored(table: Table = BY_WARD, ward_ids: Iterable[int] | None = None) -> Rows:
    keys = [*table.keys, "day"]
    rows = _rows_of(table, None if ward_ids is None else list(ward_ids))
    return {tuple(row.pop(k) for k in keys): row for row in rows.values(*keys, *COLUMNS).order_by()}


def differences(ward_ids: Iterable[int] | None = None) -> list[tuple]:
    """(table, *key, day, column, stored, recomputed) wherever a table is not what it should be."""
    if ward_ids is not None:
        ward_ids = list(ward_ids)
    calendar_for = _current_calendars()
    zero = dict.fromkeys(COLUMNS, 0)
    out = []
    for table in TABLES:
        expected = recompute(table, ward_ids, calendar_for=calendar_for)
        actual = stored(table, ward_ids)
        for key in sorted(expected.keys() | actual.keys()):
            want, have = expected.get(key, zero), actual.get(key, zero)
            out += [(table.name, *key, c, have[c], want[c]) for c in COLUMNS if have[c] != want[c]]
    return out


@transaction.atomic
def rebuild(ward_ids: Iterable[int] | None = None, *, calendar_for: Callable | None = None) -> int:
    """Replace the wards' rows by the recomputed figures (after a bulk load, for instance).

    Rows are updated in place and those no longer needed set to zero, never deleted. Returns
    the number of rows written. On PostgreSQL the database computes and writes them in one
    statement per table (`_rebuild_in_sql`); elsewhere they go through `recompute`.
    """
    if ward_ids is not None:
        ward_ids = list(ward_ids)
    if connection.vendor == "postgresql" and calendar_for is None:
        return _rebuild_in_sql(ward_ids)
    for table in TABLES:
        _rows_of(table, ward_ids).update(**dict.fromkeys(COLUMNS, 0))
    calendar_for = calendar_for or _current_calendars()
    written = 0
    for table in TABLES:
        expected = recompute(table, ward_ids, calendar_for=calendar_for)
        _write(table, expected, list(COLUMNS))
        written += len(expected)
    return written


# What each dated fact of a dossier adds, as SQL over the columns of `_REBUILD_SOURCE`: the
# same rules as `contributions`, written once more for the database (differences() compares).
_KIND = "CASE WHEN receiver_kind = 'postal_worker' THEN 1 ELSE 0 END"
_OFFICER = "CASE WHEN receiver_kind = 'postal_worker' THEN 0 ELSE 1 END"
_PUNCTUAL = "CASE WHEN timeliness IN ('early', 'on_time') THEN 1 ELSE 0 END"
_BRANCHES: list[tuple[str, str, dict[str, str]]] = [
    # (day column, condition, {column: expression})
    ("rday", "TRUE", {
        "received_online": "(channel = 2)::int",
        "received_direct": "(channel = 1)::int",
        "received_postal": "(channel = 3)::int",
        "received_postal_worker": _KIND,
        "received_officer": _OFFICER,
        "out_of_list": "out_of_list::int",
        "digitised": "digitised::int",
    }),
    ("sday", "sday IS NOT NULL", {
        "resolved_early": "(timeliness = 'early')::int",
        "resolved_on_time": "(timeliness = 'on_time')::int",
        "resolved_late": "(timeliness = 'late')::int",
        "resolved_postal_worker": _KIND,
        "resolved_officer": _OFFICER,
        "punctual_postal_worker": f"{_KIND} * {_PUNCTUAL}",
        "punctual_officer": f"{_OFFICER} * {_PUNCTUAL}",
        "paused_seconds": "paused_seconds",
        "working_days": "working_days",
    }),
    ("tday", "tday IS NOT NULL", {
        "returned_postal_worker": _KIND,
        "returned_officer": _OFFICER,
        "returned_counter": "(return_method = 'counter')::int",
        "returned_post": "(return_method = 'post')::int",
        "rated": "(satisfaction IS NOT NULL)::int",
        "satisfied": f"COALESCE((satisfaction >= {int(Satisfaction.SATISFIED)})::int, 0)",
    }),
    ("cday", "cday IS NOT NULL", {
        "refused": "(closing = 'refuse')::int",
        "withdrawn": "(closing = 'withdraw')::int",
    }),
    ("pday", "TRUE", {"overdue_from": "1"}),
    ("GREATEST(pday, COALESCE(sday, cday))", "COALESCE(sday, cday) IS NOT NULL", {
        "overdue_until": "1",
    }),
]  # fmt: skip

_REBUILD_SOURCE = """
SELECT d.ward_id, d.procedure_id, d.channel, d.receiver_kind, d.out_of_list, d.timeliness,
       d.paused_seconds, d.return_method, d.satisfaction,
       (d.received_at AT TIME ZONE %(tz)s)::date AS rday,
       (d.resolved_at AT TIME ZONE %(tz)s)::date AS sday,
       (d.returned_at AT TIME ZONE %(tz)s)::date AS tday,
       (COALESCE(d.apology_appointment_at, d.appointment_at) AT TIME ZONE %(tz)s)::date AS pday,
       (c.at AT TIME ZONE %(tz)s)::date AS cday, c.action AS closing,
       f.dossier_id IS NOT NULL AS digitised,
       COALESCE(ws.idx - wr.idx, 0) AS working_days
FROM intake_dossier d
JOIN wards_ward w ON w.id = d.ward_id
LEFT JOIN intake_dossierevent c ON c.dossier_id = d.id AND c.action IN ('refuse', 'withdraw')
LEFT JOIN (SELECT DISTINCT dossier_id FROM intake_dossierfile WHERE superseded_at IS NULL) f
       ON f.dossier_id = d.id
LEFT JOIN figures_working_days wr
       ON wr.city_id = w.city_id AND wr.day = (d.received_at AT TIME ZONE %(tz)s)::date
LEFT JOIN figures_working_days ws
       ON ws.city_id = w.city_id AND ws.day = (d.resolved_at AT TIME ZONE %(tz)s)::date
WHERE %(all_wards)s OR d.ward_id = ANY(%(ward_ids)s)
"""


def _rebuild_in_sql(ward_ids: list[int] | None) -> int:
    """PostgreSQL: both tables computed and written by the database from the dossiers."""
    from wards.models import Ward

    tz = str(timezone.get_default_timezone())
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # Working days from a fixed origin to each day any dossier was received or resolved,
        # per city and its current calendar: a result's working days are a difference of two.
        cursor.execute(
            "SELECT MIN(received_at), GREATEST(MAX(resolved_at), MAX(received_at)) "
            "FROM intake_dossier"
        )
        first, last = cursor.fetchone()
        # A second rebuild in the same transaction finds the first one's table.
        cursor.execute("DROP TABLE IF EXISTS pg_temp.figures_working_days")
        cursor.execute(
            "CREATE TEMPORARY TABLE figures_working_days "
            "(city_id integer, day date, idx integer, PRIMARY KEY (city_id, day)) "
            "ON COMMIT DROP"
        )
        if first is not None:
            first, last = local_day(first), local_day(last)
            calendars = _current_calendars()
            one_ward_per_city: dict[int, int] = {}
            for ward_id, city_id in Ward.objects.values_list("pk", "city_id"):
                one_ward_per_city.setdefault(city_id, ward_id)
            rows = []
            for city_id, ward_id in one_ward_per_city.items():
                calendar = calendars(ward_id)
                idx, day = 0, first
                while day <= last:
                    rows.append((city_id, day, idx))
                    idx += calendar.is_working_day(day)
                    day += dt.timedelta(days=1)
            cursor.executemany("INSERT INTO figures_working_days VALUES (%s, %s, %s)", rows)
        branches = []
        for day, condition, values in _BRANCHES:
            columns = ", ".join(f"{values.get(c, '0')} AS {quote(c)}" for c in COLUMNS)
            branches.append(
                f"SELECT ward_id, procedure_id, {day} AS day, {columns} FROM source "  # noqa: S608
                f"WHERE {condition}"
            )
        sums = ", ".join(f"COALESCE(SUM({quote(c)}), 0) AS {quote(c)}" for c in COLUMNS)
        params = {"tz": tz, "all_wards": ward_ids is None, "ward_ids": ward_ids or []}
        # Enough memory to group a city's history without spilling to disk, no JIT compilation
        # for statements run once.
        # Whole tables are matched against each other: hash joins, not index probes row by row.
        planner = {"work_mem": "'256MB'", "jit": "off", "enable_nestloop": "off"}
        planner["enable_mergejoin"] = "off"
        for setting, value in planner.items():
            cursor.execute(f"SET LOCAL {setting} = {value}")
        cursor.execute("DROP TABLE IF EXISTS pg_temp.figures_by_procedure, pg_temp.figures_by_ward")
        cursor.execute(
            f"CREATE TEMPORARY TABLE figures_by_procedure ON COMMIT DROP AS "  # noqa: S608
            f"WITH source AS MATERIALIZED ({_REBUILD_SOURCE}) "
            f"SELECT ward_id, procedure_id, day, {sums} "
            f"FROM ({' UNION ALL '.join(branches)}) contributions "
            f"GROUP BY ward_id, procedure_id, day",
            params,
        )
        # The ward's day is the sum of its procedures' days.
        cursor.execute(
            f"CREATE TEMPORARY TABLE figures_by_ward ON COMMIT DROP AS "  # noqa: S608
            f"SELECT ward_id, day, {sums} FROM figures_by_procedure GROUP BY ward_id, day"
        )
        cursor.execute("ANALYZE figures_by_procedure, figures_by_ward")
        written = 0
        for table, source in ((BY_PROCEDURE, "figures_by_procedure"), (BY_WARD, "figures_by_ward")):
            written += _replace_rows(cursor, table, source, params)
        for setting in planner:  # the rest of an enclosing transaction plans as usual
            cursor.execute(f"RESET {setting}")
    return written


def _replace_rows(cursor, table: Table, source: str, params: dict) -> int:
    """Make `table`'s rows of the wards equal to `source`'s, writing only what differs."""
    quote = connection.ops.quote_name
    name = quote(table.name)
    keys = [*table.keys, "day"]
    names = ", ".join(quote(c) for c in COLUMNS)
    match = " AND ".join(f"s.{k} = t.{k}" for k in keys)
    # Rows no longer backed by any dossier go to zero (never deleted).
    cursor.execute(
        f"UPDATE {name} t SET {', '.join(f'{quote(c)} = 0' for c in COLUMNS)} "  # noqa: S608
        f"WHERE (%(all_wards)s OR t.ward_id = ANY(%(ward_ids)s)) "
        f"AND ({' OR '.join(f't.{quote(c)} <> 0' for c in COLUMNS)}) "
        f"AND NOT EXISTS (SELECT 1 FROM {source} s WHERE {match})",
        params,
    )
    # Rows that differ are updated, missing ones inserted; equal ones are not touched. (No
    # INSERT … ON CONFLICT here: it would lock every existing row, changed or not.)
    cursor.execute(
        f"UPDATE {name} t SET "  # noqa: S608
        f"{', '.join(f'{quote(c)} = s.{quote(c)}' for c in COLUMNS)} FROM {source} s "
        f"WHERE {match} AND ({', '.join(f't.{quote(c)}' for c in COLUMNS)}) "
        f"IS DISTINCT FROM ({', '.join(f's.{quote(c)}' for c in COLUMNS)})"
    )
    cursor.execute(
        f"INSERT INTO {name} ({', '.join(keys)}, {names}) "  # noqa: S608
        f"SELECT {', '.join(keys)}, {names} FROM {source} s "
        f"WHERE NOT EXISTS (SELECT 1 FROM {name} t WHERE {match})"
    )
    cursor.execute(f"SELECT COUNT(*) FROM {source}")  # noqa: S608
    return cursor.fetchone()[0]


def totals(
    ward_ids: Iterable[int],
    first_day: dt.date,
    last_day: dt.date,
    *,
    table: Table = BY_WARD,
) -> dict[object, dict[str, int]]:
    """Per row key (a ward id; (ward id, procedure id) for BY_PROCEDURE): every flow column
    summed over [first_day, last_day], and the stocks.

    `carried_over`: dossiers in hand at the start of `first_day`; `pending` and
    `pending_overdue`: in hand, and past the date promised, at the end of `last_day`. Two
    queries with plain sums: the period's own rows, and the stocks over the days before it; the
    stocks at the end follow from those and the period's flows.
    """

    rows = table.model.objects.filter(ward_id__in=list(ward_ids)).values(*table.keys).order_by()
    flows = rows.filter(day__gte=first_day, day__lte=last_day).annotate(
        **{c: Sum(c) for c in COLUMNS}
    )
    before = rows.filter(day__lt=first_day).annotate(
        carried=Sum(columns_sum(RECEIVED) - columns_sum(FINISHED)),
        overdue=Sum(F("overdue_from") - F("overdue_until")),
    )
    out: dict[object, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COLUMNS, 0))

    def key(row):
        values = tuple(row.pop(k) for k in table.keys)
        return values[0] if len(values) == 1 else values

    for row in flows:
        out[key(row)].update(row)
    stocks = {key(row): row for row in before}
    for k in out.keys() | stocks.keys():
        row, stock = out[k], stocks.get(k, {})
        carried, overdue = stock.get("carried") or 0, stock.get("overdue") or 0
        row["carried_over"] = carried
        row["pending"] = carried + sum(row[c] for c in RECEIVED) - sum(row[c] for c in FINISHED)
        row["pending_overdue"] = overdue + row["overdue_from"] - row["overdue_until"]
    return dict(out)
