"""Writing a run's rows: COPY in text format on PostgreSQL (with the indexes dropped and rebuilt
around a large load), plain bulk inserts on SQLite."""

import io
import json
from typing import TYPE_CHECKING

from django.db import connection

from demo.generate.clock import aware, aware_or_none
from intake.models import DossierEvent

if TYPE_CHECKING:
    from demo.generate.history import ChunkResult

NULL = r"\N"


def copy_text(value: str) -> str:
    """A string as a field of COPY's text format."""
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


# Column order of the COPY text lines; the constants of a (ward, procedure) sit in the middle.
CONSTANT_COLUMNS = [
    "ward_id", "procedure_id", "procedure_code", "procedure_name", "processing_days",
    "term_unit", "supplement_window_days", "fee", "level", "resolving_agency", "components",
    "sets", "applicant_email", "out_of_list", "notes",
]  # fmt: skip
DOSSIER_COLUMNS = [
    "id", "code", *CONSTANT_COLUMNS, "counter_id", "received_by_id", "receiver_kind",
    "channel", "applicant_name", "applicant_name_search", "applicant_id_number",
    "applicant_phone", "applicant_address", "received_at", "appointment_at",
    "apology_appointment_at", "status", "national_status", "resolved_at", "timeliness",
    "returned_at", "returned_by_id", "return_method", "supplement_count", "paused_since",
    "paused_seconds", "satisfaction", "lookup_pin_hash", "updated_at",
]  # fmt: skip
EVENT_FIELDS = [
    "dossier_id", "at", "actor_id", "actor_role", "action", "from_status", "to_status", "note",
    "counter_id", "from_unit", "to_unit", "appointment_at",
]  # fmt: skip
EVENT_COLUMNS = [*EVENT_FIELDS, "request_id"]


def copy_cell(value) -> str:
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, list | dict):
        return copy_text(json.dumps(value, ensure_ascii=False))
    return copy_text(str(value))


class BulkWriter:
    """SQLite: plain bulk inserts of the chunks' model instances."""

    def __init__(self, tables):
        self.tables = tables

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def put(self, result: "ChunkResult") -> None:
        for name, _columns, model in self.tables:
            rows = result.tables[name]
            if model is DossierEvent:
                rows = [
                    DossierEvent(
                        dossier_id=e[0], at=aware(e[1]), actor_id=e[2], actor_role=e[3],
                        action=e[4], from_status=e[5], to_status=e[6], note=e[7],
                        counter_id=e[8], from_unit=e[9], to_unit=e[10],
                        appointment_at=aware_or_none(e[11]),
                    )
                    for e in rows
                ]  # fmt: skip
            model.objects.bulk_create(rows, batch_size=500)


class CopyWriter:
    """PostgreSQL: COPY each chunk, in the run's transaction.

    Around a large load (`rebuild_indexes`) the tables' non-unique indexes are dropped and, on
    the way out, rebuilt from the definitions PostgreSQL gave for them (pg_indexes) before the
    drop. Both happen inside the load's transaction: if the load fails, its rollback undoes the
    DROP INDEX too (PostgreSQL's DDL is transactional), so the indexes are never lost.

    Foreign keys: the rows' references are built by the generator, to rows it read (wards,
    counters, procedures, users, tariffs) or to dossiers of the same chunk. When the role may
    set `session_replication_role` and no trigger other than the foreign keys' own fires on
    INSERT into the tables, the referenced rows are locked FOR KEY SHARE once (what each
    per-row check would do) and counted, and the load runs with `session_replication_role =
    replica`, which skips the per-row checks, until the chunks and the parts' own rows (the
    roster: references of the same kinds) are written. Otherwise the checks run as usual.
    """

    def __init__(
        self,
        tables,
        references: dict[str, set[int]],
        *,
        also_written: list[str],
        rebuild_indexes: bool,
    ):
        self.tables = tables
        self.references = references
        self.also_written = also_written
        self.rebuild_indexes = rebuild_indexes
        self.dropped: list[tuple[str, str]] = []
        self.replica = False

    def __enter__(self):
        names = [name for name, _columns, _model in self.tables]
        with connection.cursor() as cursor:
            if self.rebuild_indexes:
                self.dropped = drop_secondary_indexes(cursor, names)
            self.replica = self._replica_is_safe(cursor, names + self.also_written)
            if self.replica:
                self._lock_references(cursor)
                cursor.execute("SELECT current_setting('session_replication_role')")
                self.role = cursor.fetchone()[0]
                cursor.execute("SET LOCAL session_replication_role = replica")
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            return False  # the transaction rolls back: rows, DROP INDEX and SET LOCAL alike
        with connection.cursor() as cursor:
            if self.replica:
                cursor.execute(f"SET LOCAL session_replication_role = {self.role}")
            else:
                # Django's foreign keys are deferred: their checks must run before an index
                # can be built on the table, and are deferred again for the rest.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            if self.dropped:
                restore_indexes(cursor, self.dropped)
        return False

    def put(self, result: "ChunkResult") -> None:
        with connection.cursor() as cursor:
            for name, columns, _model in self.tables:
                payload = result.tables[name]
                if payload:
                    cursor.copy_expert(
                        f"COPY {name} ({', '.join(columns)}) FROM STDIN",
                        io.BytesIO(payload),
                        1 << 20,  # read size: fewer, larger messages to the server
                    )

    @staticmethod
    def _replica_is_safe(cursor, names: list[str]) -> bool:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        if not cursor.fetchone()[0]:
            return False
        # 1 << 2: the trigger fires on INSERT (pg_trigger.tgtype).
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = ANY(%s::regclass[]) "
            "AND NOT tgisinternal AND tgenabled <> 'D' AND tgtype & 4 <> 0",
            [names],
        )
        return cursor.fetchone()[0] == 0

    def _lock_references(self, cursor) -> None:
        for table, ids in self.references.items():
            if not ids:
                continue
            cursor.execute(
                # The table names are the generator's own constants.
                f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE id = ANY(%s) "  # noqa: S608
                "FOR KEY SHARE) locked",
                [sorted(ids)],
            )
            if cursor.fetchone()[0] != len(ids):
                raise ValueError(f"{table}: rows the generator read have disappeared.")


def secondary_indexes(cursor, tables: list[str]) -> list[tuple[str, str]]:
    """(name, definition) of the tables' indexes that back no constraint and are not unique."""
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef
        FROM pg_indexes i
        JOIN pg_class c ON c.relname = i.indexname AND c.relkind = 'i'
        JOIN pg_index x ON x.indexrelid = c.oid
        WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
          AND NOT x.indisunique AND NOT x.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)
        ORDER BY i.tablename, i.indexname
        """,
        [tables],
    )
    return cursor.fetchall()


def drop_secondary_indexes(cursor, tables: list[str]) -> list[tuple[str, str]]:
    indexes = secondary_indexes(cursor, tables)
    for name, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    return indexes


def restore_indexes(cursor, indexes: list[tuple[str, str]]) -> None:
    """Build again the indexes `drop_secondary_indexes` dropped, each from its own definition."""
    cursor.execute("SELECT current_setting('maintenance_work_mem')")
    memory = cursor.fetchone()[0]
    # Sorting a million rows in memory instead of on disk; for this transaction only.
    cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    for _name, definition in indexes:
        cursor.execute(definition)
    cursor.execute("SELECT set_config('maintenance_work_mem', %s, true)", [memory])
