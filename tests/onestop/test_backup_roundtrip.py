"""Backup and restore: the comparison that `make backup-check` relies on, and a small
dumpdata/loaddata round trip of the test world (the full demo runs in `make backup-check`)."""

import importlib.util
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from tests.intake.factories import DossierEventFactory, DossierFactory
from tests.postal.factories import AssignmentFactory

ROOT = Path(settings.BASE_DIR)
_spec = importlib.util.spec_from_file_location(
    "compare_databases", ROOT / "scripts" / "compare_databases.py"
)
compare = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compare)

LEFT_OUT_OF_DUMP = ("contenttypes", "auth.permission", "sessions", "axes")
NOT_COMPARED = ("django_session", "axes_accessattempt", "axes_accessfailurelog", "axes_accesslog")


def tiny_database(path: Path, codes: list[str], extra_rows: int = 2) -> str:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE intake_dossier (code TEXT, status TEXT, received_at TEXT)")
    db.execute("CREATE TABLE wards_ward (name TEXT)")
    db.executemany(
        "INSERT INTO intake_dossier VALUES (?, 'received', '2026-03-10 02:00:00')",
        [(code,) for code in codes],
    )
    db.executemany("INSERT INTO wards_ward VALUES (?)", [("Phú Hòa",)] * extra_rows)
    db.commit()
    db.close()
    return f"sqlite:///{path}"


CODES = ["000.00.12.H13-260310-0001", "000.00.12.H13-260310-0002"]


def test_copies_that_agree_pass(tmp_path, capsys):
    source = tiny_database(tmp_path / "a.sqlite3", CODES)
    restored = tiny_database(tmp_path / "b.sqlite3", list(reversed(CODES)))
    assert compare.main([source, restored]) == 0
    assert "2 dossier codes" in capsys.readouterr().out


def test_a_lost_row_and_a_changed_code_are_named(tmp_path, capsys):
    source = tiny_database(tmp_path / "a.sqlite3", CODES)
    restored = tiny_database(tmp_path / "b.sqlite3", [CODES[0], "000.00.12.H13-260310-0003"], 1)
    assert compare.main([source, restored]) == 1
    out = capsys.readouterr().out
    assert "table wards_ward: 2 rows before, 1 after" in out
    assert "1 lost ['000.00.12.H13-260310-0002']" in out


def test_a_changed_status_is_caught_by_the_digest(tmp_path, capsys):
    source = tiny_database(tmp_path / "a.sqlite3", CODES)
    restored = tiny_database(tmp_path / "b.sqlite3", CODES)
    db = sqlite3.connect(tmp_path / "b.sqlite3")
    db.execute("UPDATE intake_dossier SET status = 'returned' WHERE code = ?", (CODES[1],))
    db.commit()
    db.close()
    assert compare.main([source, restored]) == 1
    assert "status or receipt time differs" in capsys.readouterr().out


@pytest.mark.django_db
def test_dumpdata_and_loaddata_keep_every_count_and_code(world, tmp_path):
    for state in ({}, {"processing": True}, {"returned": True}, {"refused": True}):
        dossier = DossierFactory(ward=world.ward, received_by=world.postal_worker, **state)
        DossierEventFactory(dossier=dossier, actor=world.officer)
    AssignmentFactory(ward=world.ward, worker=world.postal_worker, assigned_by=world.chief)
    dump = tmp_path / "onestop.xml"
    call_command(
        "dumpdata",
        "--format=xml",
        "--natural-foreign",
        "--natural-primary",
        *(f"--exclude={label}" for label in LEFT_OUT_OF_DUMP),
        output=str(dump),
        verbosity=0,
    )
    restored = tmp_path / "restored.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{restored}",
        "DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "onestop.settings",
    }
    for command in (["migrate", "--no-input", "-v0"], ["loaddata", str(dump), "-v0"]):
        subprocess.run(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True
        )
    ignore = frozenset(NOT_COMPARED)
    here = compare.snapshot_of(connection.connection, ignore)
    there = compare.snapshot(f"sqlite:///{restored}", ignore)
    assert len(here.codes) == 4
    assert compare.differences(here, there) == []
