"""The generator's bulk load on PostgreSQL: indexes dropped and rebuilt exactly as defined, put
back by the rollback when a load fails, foreign-key triggers skipped only for the load."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction

from demo.generate import writers
from demo.generate.dossiers import DossierGenerator
from intake.models import Dossier, DossierEvent
from postal.deliveries.models import Delivery
from tests.intake.factories import ProcedureFactory
from tests.onestop.factories import UserFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY and index rebuilds are PostgreSQL's"
)

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
TABLES = ["intake_dossier", "intake_dossierevent", "postal_delivery"]


def indexes() -> list[tuple[str, str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes "
            "WHERE tablename = ANY(%s) ORDER BY 1, 2",
            [TABLES],
        )
        return cursor.fetchall()


@pytest.fixture
def catalogue(world):
    ProcedureFactory(code="2.000815", processing_days=0, fee=10_000)
    ProcedureFactory(code="1.004873", processing_days=3)
    UserFactory(officer=True, ward=world.far_ward)
    return world


def test_a_large_load_rebuilds_the_indexes_as_the_migrations_define_them(catalogue, monkeypatch):
    before = indexes()
    names = {name for _table, name, _definition in before}
    # The trigram index of migration 0003 and the list index of migration 0006 are among them.
    assert {"dossier_name_trgm", "dossier_received", "event_dossier_at"} <= names
    dropped = []
    drop = writers.drop_secondary_indexes

    def spy(cursor, tables):
        found = drop(cursor, tables)
        dropped.extend(found)
        # During the load the tables carry only their unique indexes.
        left = {name for _table, name, _definition in indexes()}
        assert not left & {name for name, _definition in found}
        return found

    monkeypatch.setattr(writers, "drop_secondary_indexes", spy)
    stats = DossierGenerator(count=900, years=0.3, seed=3, now=NOW, rebuild_indexes=True).run()
    assert {"dossier_name_trgm", "dossier_received", "delivery_ward_created"} <= {
        name for name, _definition in dropped
    }
    assert not {"intake_dossier_pkey", "intake_dossier_code_key", "delivery_waybill_once"} & {
        name for name, _definition in dropped
    }
    assert indexes() == before
    assert Dossier.objects.count() == stats.dossiers == 900


def test_a_failed_load_leaves_the_tables_and_their_indexes_as_they_were(catalogue, monkeypatch):
    before = indexes()
    put = writers.CopyWriter.put
    calls = []

    def fails_on_the_second_chunk(self, result):
        calls.append(result.index)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        put(self, result)

    monkeypatch.setattr(writers.CopyWriter, "put", fails_on_the_second_chunk)
    with pytest.raises(RuntimeError, match="disk full"):
        DossierGenerator(
            count=900, years=0.3, seed=3, now=NOW, chunk=300, rebuild_indexes=True
        ).run()
    assert calls == [0, 1]
    assert indexes() == before
    assert not Dossier.objects.exists() and not Delivery.objects.exists()


def test_foreign_key_triggers_are_skipped_only_during_the_load(catalogue):
    roles = []
    put = writers.CopyWriter.put

    def watch(self, result):
        with connection.cursor() as cursor:
            cursor.execute("SHOW session_replication_role")
            roles.append(cursor.fetchone()[0])
        put(self, result)

    writers.CopyWriter.put = watch
    try:
        DossierGenerator(count=600, years=0.3, seed=4, now=NOW, chunk=200).run()
    finally:
        writers.CopyWriter.put = put
    assert roles == ["replica"] * 3
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        assert cursor.fetchone()[0] == "origin"
    # The append-only trigger and the foreign keys work again at once.
    event = DossierEvent.objects.first()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        DossierEvent.objects.filter(pk=event.pk).update(note="sửa")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO intake_dossierevent (dossier_id, at, actor_role, action, from_status, "
            "to_status, note, from_unit, to_unit, request_id) "
            "VALUES (987654321, now(), '', 'receive', '', 'received', '', '', '', '')"
        )
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_without_the_right_to_skip_them_the_checks_run(catalogue, monkeypatch):
    monkeypatch.setattr(writers.CopyWriter, "_replica_is_safe", staticmethod(lambda *a: False))
    stats = DossierGenerator(
        count=600, years=0.3, seed=4, now=NOW, chunk=200, rebuild_indexes=True
    ).run()
    assert Dossier.objects.count() == stats.dossiers == 600
    assert DossierEvent.objects.count() == stats.events


def test_the_row_text_survives_copy(catalogue):
    """Names with commas and a catalogue with quotes, tabs and backslashes arrive intact."""
    ProcedureFactory(
        code="9.000009",
        processing_days=1,
        name='Thủ tục "thử"\tcó tab \\ và, dấu phẩy',
        components=[{"name": "Tờ khai\nmẫu 01", "original": 1}],
    )
    DossierGenerator(count=1500, years=0.3, seed=8, now=NOW).run()
    dossier = Dossier.objects.filter(procedure_code="9.000009").first()
    assert dossier.procedure_name == 'Thủ tục "thử"\tcó tab \\ và, dấu phẩy'
    assert dossier.components == [{"name": "Tờ khai\nmẫu 01", "original": 1}]
    assert "," in dossier.applicant_address
