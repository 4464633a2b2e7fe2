"""What only PostgreSQL enforces: the events table refuses UPDATE and DELETE from any path."""

import pytest
from django.db import DatabaseError, connection, transaction

from intake.models import DossierEvent
from tests.intake.factories import DossierFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE intake_dossierevent SET note = 'sửa lại' WHERE id = %s",
        "DELETE FROM intake_dossierevent WHERE id = %s",
    ],
)
def test_events_table_refuses_rewrites(statement):
    dossier = DossierFactory()
    event = DossierEvent.objects.create(
        dossier=dossier, at=dossier.received_at, action="receive", to_status="received"
    )
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [event.pk])
    assert DossierEvent.objects.filter(pk=event.pk, note="").exists()


@pytest.mark.django_db
def test_queryset_update_is_refused_too():
    dossier = DossierFactory()
    DossierEvent.objects.create(
        dossier=dossier, at=dossier.received_at, action="receive", to_status="received"
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        DossierEvent.objects.filter(dossier=dossier).update(note="x")
