"""The table rebuilt from the dossiers (after a bulk load); on PostgreSQL in SQL, per table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.utils import timezone

from intake.figures.recompute import current_calendars, recompute, rows_of, write_rows
from intake.figures.tables import BY_PROCEDURE, BY_WARD, COLUMNS, TABLES, Table, local_day
from intake.models import Satisfaction


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
        rows_of(table, ward_ids).update(**dict.fromkeys(COLUMNS, 0))
    calendar_for = calendar_for or current_calendars()
    written = 0
    for table in TABLES:
        expected = recompute(table, ward_ids, calendar_for=calendar_for)
        write_rows(table, expected, list(COLUMNS))
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
        "refused": "(closing IN ('refuse', 'stop'))::int",
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
LEFT JOIN intake_dossierevent c
       ON c.dossier_id = d.id AND c.action IN ('refuse', 'stop', 'withdraw')
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
            calendars = current_calendars()
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
