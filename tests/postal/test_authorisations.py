"""Granting and revoking procedures, with history."""

import pytest
from django.db import IntegrityError, transaction

from onestop import clock
from onestop.errors import Conflict, InvalidInput, NotAllowed
from postal.models import ProcedureAuthorization
from postal.services import authorisation_grant, authorisation_revoke
from tests.intake.factories import ProcedureFactory
from tests.postal.conftest import FRIDAY, at
from tests.postal.factories import AuthorizationFactory

pytestmark = pytest.mark.usefixtures("friday")


def test_the_chief_grants_and_the_grant_records_who_and_when(world):
    procedure = ProcedureFactory()
    grant = authorisation_grant(
        user=world.chief, worker=world.postal_worker, procedure=procedure, note="Đã kèm cặp 2 tuần"
    )
    assert (grant.ward, grant.granted_by, grant.granted_at) == (world.ward, world.chief, FRIDAY)
    assert grant.grant_note == "Đã kèm cặp 2 tuần"
    assert grant.is_active


def test_granting_twice_keeps_one_grant(world):
    procedure = ProcedureFactory()
    first = authorisation_grant(user=world.chief, worker=world.postal_worker, procedure=procedure)
    again = authorisation_grant(user=world.chief, worker=world.postal_worker, procedure=procedure)
    assert again.pk == first.pk
    assert ProcedureAuthorization.objects.count() == 1


def test_revoking_keeps_the_row_and_a_new_grant_is_a_new_row(world):
    procedure = ProcedureFactory()
    grant = authorisation_grant(user=world.chief, worker=world.postal_worker, procedure=procedure)
    with clock.frozen_at(at(2026, 3, 7, 9, 0)):
        revoked = authorisation_revoke(
            user=world.chief, authorisation_id=grant.pk, note="Sai sót nhiều"
        )
    assert revoked.revoked_by == world.chief
    assert revoked.revoke_note == "Sai sót nhiều"
    with pytest.raises(Conflict, match="đã được thu hồi"):
        authorisation_revoke(user=world.chief, authorisation_id=grant.pk)
    with clock.frozen_at(at(2026, 3, 20, 9, 0)):
        again = authorisation_grant(
            user=world.chief, worker=world.postal_worker, procedure=procedure
        )
    assert again.pk != grant.pk
    history = ProcedureAuthorization.objects.filter(worker=world.postal_worker)
    assert [g.is_active for g in history] == [True, False]


def test_only_postal_eligible_active_procedures_are_granted(world):
    with pytest.raises(InvalidInput, match="không thuộc danh mục"):
        authorisation_grant(
            user=world.chief,
            worker=world.postal_worker,
            procedure=ProcedureFactory(not_postal=True),
        )
    with pytest.raises(InvalidInput, match="ngừng áp dụng"):
        authorisation_grant(
            user=world.chief, worker=world.postal_worker, procedure=ProcedureFactory(active=False)
        )


def test_a_procedure_without_a_verified_term_is_not_granted(world):
    procedure = ProcedureFactory(unverified=True, name="Chứng thực chữ ký")
    with pytest.raises(InvalidInput, match="chưa có thời hạn giải quyết đã xác minh") as refused:
        authorisation_grant(user=world.chief, worker=world.postal_worker, procedure=procedure)
    assert refused.value.field == "procedure"
    assert "Chứng thực chữ ký" in refused.value.message
    assert not ProcedureAuthorization.objects.exists()


@pytest.mark.parametrize("actor", ["postal_worker", "officer", "city_admin"])
def test_only_the_chief_grants_and_revokes(world, actor):
    procedure = ProcedureFactory()
    with pytest.raises(NotAllowed):
        authorisation_grant(
            user=getattr(world, actor), worker=world.postal_worker, procedure=procedure
        )
    grant = AuthorizationFactory(ward=world.ward, worker=world.postal_worker)
    with pytest.raises(NotAllowed):
        authorisation_revoke(user=getattr(world, actor), authorisation_id=grant.pk)


def test_the_chief_grants_only_their_own_workers(world):
    with pytest.raises(InvalidInput):
        authorisation_grant(
            user=world.chief, worker=world.other_postal_worker, procedure=ProcedureFactory()
        )
    with pytest.raises(InvalidInput):
        authorisation_grant(user=world.chief, worker=world.officer, procedure=ProcedureFactory())
    theirs = AuthorizationFactory(ward=world.other_ward, worker=world.other_postal_worker)
    with pytest.raises(ProcedureAuthorization.DoesNotExist):
        authorisation_revoke(user=world.chief, authorisation_id=theirs.pk)


def test_the_database_keeps_one_active_grant(world):
    grant = AuthorizationFactory(ward=world.ward, worker=world.postal_worker)
    with pytest.raises(IntegrityError), transaction.atomic():
        AuthorizationFactory(ward=world.ward, worker=world.postal_worker, procedure=grant.procedure)
    with pytest.raises(IntegrityError), transaction.atomic():
        AuthorizationFactory(ward=world.ward, revoked_at=FRIDAY)  # revoked by nobody
