#!/usr/bin/env python3
"""Compare two onestop databases after a backup and restore: every table's row count, every
dossier's code, and a digest of every dossier's code, status and receipt time.

    python scripts/compare_databases.py SOURCE RESTORED [--ignore TABLE ...]

SOURCE and RESTORED are database URLs: postgres://user@host:port/name or sqlite:///path.
Exit status 0 when they agree, 1 when they differ (each difference is printed), 2 on bad use.
Needs only the Python standard library (and psycopg2 for PostgreSQL), not Django.
"""

import argparse
import datetime as dt
import hashlib
import sqlite3
import sys
from dataclasses import dataclass, field
from urllib.parse import unquote, urlparse

# SQLite's own bookkeeping of AUTOINCREMENT counters: not data.
INTERNAL_TABLES = frozenset({"sqlite_sequence", "sqlite_stat1", "sqlite_stat4"})
DOSSIER_TABLE = "intake_dossier"


@dataclass
class Snapshot:
    """What a database holds, as far as a restore must keep it."""

    counts: dict[str, int]
    codes: list[str] = field(default_factory=list)
    dossier_digest: str = ""


def connect(url: str):
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        # As django-environ reads it: sqlite:////abs/path.sqlite3, sqlite:///relative.sqlite3.
        path = unquote(parsed.path)[1:]
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    if parsed.scheme in ("postgres", "postgresql"):
        import psycopg2

        return psycopg2.connect(
            dbname=parsed.path.lstrip("/"),
            user=unquote(parsed.username or ""),
            password=unquote(parsed.password or "") or None,
            host=parsed.hostname or None,
            port=parsed.port or None,
        )
    raise SystemExit(f"unsupported database URL: {url}")


def tables(connection) -> list[str]:
    cursor = connection.cursor()
    if isinstance(connection, sqlite3.Connection):
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return sorted(name for (name,) in cursor.fetchall() if name not in INTERNAL_TABLES)


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def snapshot(url: str, ignore: frozenset[str] = frozenset()) -> Snapshot:
    connection = connect(url)
    try:
        return snapshot_of(connection, ignore)
    finally:
        connection.close()


def snapshot_of(connection, ignore: frozenset[str] = frozenset()) -> Snapshot:
    """The snapshot of an open DB-API connection (sqlite3 or psycopg2), left open."""
    cursor = connection.cursor()
    counts = {}
    for table in tables(connection):
        if table in ignore:
            continue
        cursor.execute(f"SELECT count(*) FROM {quoted(table)}")  # noqa: S608 - catalog names
        counts[table] = cursor.fetchone()[0]
    shot = Snapshot(counts=counts)
    if DOSSIER_TABLE in counts:
        cursor.execute(f"SELECT code, status, received_at FROM {DOSSIER_TABLE}")  # noqa: S608
        digest = hashlib.sha256()
        # Sorted here, not by the database: collations differ between backends.
        for code, status, received_at in sorted(cursor.fetchall()):
            shot.codes.append(code)
            digest.update(f"{code}|{status}|{_instant(received_at)}\n".encode())
        shot.dossier_digest = digest.hexdigest()
    return shot


def _instant(value) -> str:
    """A receipt time written alike by both backends (SQLite stores text, PostgreSQL a
    timestamp with time zone)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat()


def differences(source: Snapshot, restored: Snapshot) -> list[str]:
    found = []
    for table in sorted(set(source.counts) | set(restored.counts)):
        before, after = source.counts.get(table), restored.counts.get(table)
        if before != after:
            found.append(f"table {table}: {before} rows before, {after} after")
    if source.codes != restored.codes:
        lost = sorted(set(source.codes) - set(restored.codes))
        gained = sorted(set(restored.codes) - set(source.codes))
        found.append(
            f"dossier codes differ: {len(lost)} lost {lost[:5]}, {len(gained)} new {gained[:5]}"
        )
    elif source.dossier_digest != restored.dossier_digest:
        found.append("dossier codes agree, but a status or receipt time differs")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source")
    parser.add_argument("restored")
    parser.add_argument(
        "--ignore", action="append", default=[], help="a table left out of the comparison"
    )
    args = parser.parse_args(argv)
    ignore = frozenset(args.ignore)
    source, restored = snapshot(args.source, ignore), snapshot(args.restored, ignore)
    found = differences(source, restored)
    rows = sum(source.counts.values())
    print(
        f"{len(source.counts)} tables, {rows} rows, {len(source.codes)} dossier codes "
        f"(digest {source.dossier_digest[:16]}) in the source"
    )
    if ignore:
        print(f"left out: {', '.join(sorted(ignore))}")
    if found:
        print("RESTORE DIFFERS:")
        for line in found:
            print(f"  {line}")
        return 1
    print("restored copy agrees: every table's row count and every dossier code")
    return 0


if __name__ == "__main__":
    sys.exit(main())
