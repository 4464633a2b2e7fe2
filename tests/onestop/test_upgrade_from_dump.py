"""An existing installation upgrades in place: today's code migrates a database made by an
earlier release and loses nothing.

`tests/data/demo-8594bcc-{sqlite,postgres}.sql.gz` are dumps of that release's schema with its
demo data (`migrate`, then `seed_demo` with 3–5 dossiers per ward), taken before the apps were
rearranged (reports/, demo/, postal/deliveries/, packages for long modules). Each test restores
one into a fresh database, runs `manage.py migrate` as an operator would (another process, the
database given by `DATABASE_URL`), and then checks that every table of the old schema still has
its rows, the dossier codes are the same, and the report figures still equal their
recomputation.
"""

import gzip
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

DATA = Path(__file__).resolve().parent.parent / "data"
ROOT = Path(settings.BASE_DIR)
GROWS_WITH_NEW_MODELS = {"django_content_type", "auth_permission"}


def _manage(database_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "onestop.settings",
    }
    return subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


# postal 0005 takes the paper dossiers the demo's batches left "received" long after their
# term through the steps the paper had taken: the event log grows by exactly those steps.
PAPER_STEPS = "SELECT count(*) FROM intake_dossierevent WHERE from_paper AND action <> 'receive'"


def _check_upgrade(database_url: str, counts, codes, query) -> None:
    """Migrate; the old tables keep their rows (new tables may appear, the event log gains the
    paper dossiers' corrected steps), the codes stay."""
    before_counts, before_codes = counts(), codes()
    assert before_counts["intake_dossier"] > 0, "the dump holds demo dossiers"

    migrated = _manage(database_url, "migrate", "--no-input")
    assert migrated.returncode == 0, migrated.stderr

    after_counts = counts()
    paper_steps = query(PAPER_STEPS)[0][0]
    assert paper_steps > 0 and paper_steps % 3 == 0  # transfer, result, return per dossier
    after_counts["intake_dossierevent"] -= paper_steps
    lost = {
        t: (n, after_counts.get(t))
        for t, n in before_counts.items()
        if after_counts.get(t) != n
        # A new model brings its own content type and permissions: these may only grow.
        and not (t in GROWS_WITH_NEW_MODELS and (after_counts.get(t) or 0) > n)
    }
    assert not lost, f"rows changed by the upgrade (table: before, after): {lost}"
    assert codes() == before_codes

    for command in ("check_dossier_codes", "check_report_figures"):
        result = _manage(database_url, command)
        assert result.returncode == 0, result.stdout + result.stderr
    # Migrating again is a no-op, as on every later deployment.
    again = _manage(database_url, "migrate", "--no-input")
    assert again.returncode == 0 and "No migrations to apply" in again.stdout


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite dump, on the SQLite run")
def test_a_sqlite_database_of_the_earlier_release_upgrades_without_loss(tmp_path):
    path = tmp_path / "upgrade.sqlite3"
    with gzip.open(DATA / "demo-8594bcc-sqlite.sql.gz", "rt", encoding="utf-8") as dump:
        db = sqlite3.connect(path)
        db.executescript(dump.read())
        db.close()

    def query(sql: str) -> list[tuple]:
        db = sqlite3.connect(path)
        try:
            return db.execute(sql).fetchall()
        finally:
            db.close()

    def counts() -> dict[str, int]:
        tables = [
            name
            for (name,) in query("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not name.startswith("sqlite_") and name != "django_migrations"
        ]
        return {t: query(f'SELECT count(*) FROM "{t}"')[0][0] for t in tables}  # noqa: S608

    def codes() -> list[str]:
        return [c for (c,) in query("SELECT code FROM intake_dossier ORDER BY code")]

    _check_upgrade(f"sqlite:///{path}", counts, codes, query)


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL dump needs psql")
def test_a_postgresql_database_of_the_earlier_release_upgrades_without_loss():
    import psycopg2

    params = connection.settings_dict
    name = f"onestop_upgrade_{uuid.uuid4().hex[:8]}"
    server = {
        "host": params["HOST"] or "127.0.0.1",
        "port": params["PORT"] or 5432,
        "user": params["USER"] or "postgres",
    }
    if params.get("PASSWORD"):
        server["password"] = params["PASSWORD"]
    admin = psycopg2.connect(dbname="postgres", **server)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    try:
        with gzip.open(DATA / "demo-8594bcc-postgres.sql.gz", "rb") as dump:
            restored = subprocess.run(  # noqa: S603 - psql with fixed arguments
                [
                    shutil.which("psql") or "/usr/bin/psql",
                    "--quiet",
                    "--set=ON_ERROR_STOP=1",
                    f"--host={server['host']}",
                    f"--port={server['port']}",
                    f"--username={server['user']}",
                    f"--dbname={name}",
                ],
                input=dump.read(),
                capture_output=True,
                env={**os.environ, "PGPASSWORD": server.get("password", "")},
                timeout=300,
            )
        assert restored.returncode == 0, restored.stderr.decode()

        def query(sql: str) -> list[tuple]:
            db = psycopg2.connect(dbname=name, **server)
            try:
                with db.cursor() as cursor:
                    cursor.execute(sql)
                    return cursor.fetchall()
            finally:
                db.close()

        def counts() -> dict[str, int]:
            tables = [
                t
                for (t,) in query(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                    "AND tablename <> 'django_migrations'"
                )
            ]
            return {t: query(f'SELECT count(*) FROM "{t}"')[0][0] for t in tables}  # noqa: S608

        def codes() -> list[str]:
            return [c for (c,) in query("SELECT code FROM intake_dossier ORDER BY code")]

        url = (
            f"postgres://{server['user']}:{server.get('password', '')}@{server['host']}:"
            f"{server['port']}/{name}"
        )
        _check_upgrade(url, counts, codes, query)
    finally:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
