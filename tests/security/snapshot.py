"""The state of every table the project owns, to prove that a refused request changed nothing.

Dossiers, their events and files, sequences, procedures, users, counters, wards, calendars,
assignments, authorisations, reviews, batches, guidance, deliveries, tariffs, the personal-data
access log and API tokens: every row of every column, read with one plain query per table. The
matrix world holds a few dozen rows, so a snapshot costs a millisecond or two.

Left out: sessions (a sign-in writes one), django-axes' attempt log and a user's `last_login`
(signing in sets it), none of which a caller can use to change the records.
"""

from django.apps import apps
from django.db import connection

APPS = ("wards", "onestop", "intake", "postal", "authtoken")
# Columns a sign-in itself writes.
IGNORED_COLUMNS = {"onestop_user": {"last_login"}}


def _tables() -> list[tuple[str, str]]:
    tables = []
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            meta = model._meta
            if meta.proxy or not meta.managed:
                continue
            ignored = IGNORED_COLUMNS.get(meta.db_table, set())
            columns = [f.column for f in meta.concrete_fields if f.column not in ignored]
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            table = connection.ops.quote_name(meta.db_table)
            pk = connection.ops.quote_name(meta.pk.column)
            # Names come from the models, quoted by the backend: nothing typed by a caller.
            sql = f"SELECT {quoted} FROM {table} ORDER BY {pk}"  # noqa: S608
            tables.append((meta.db_table, sql))
    return tables


_QUERIES: list[tuple[str, str]] = []


def database_snapshot() -> dict[str, tuple]:
    """Every row of the project's tables, by table name."""
    if not _QUERIES:
        _QUERIES.extend(_tables())
    state = {}
    with connection.cursor() as cursor:
        for name, sql in _QUERIES:
            cursor.execute(sql)
            state[name] = tuple(tuple(row) for row in cursor.fetchall())
    return state


def changed_tables(before: dict[str, tuple], after: dict[str, tuple]) -> list[str]:
    """The tables whose rows differ, with their row counts: `intake_dossier (3 → 4 rows)`."""
    return [
        f"{name} ({len(before[name])} → {len(after[name])} rows)"
        for name in before
        if before[name] != after[name]
    ]
