"""The chief's review of out-of-list dossiers."""

import pytest
from django.db import IntegrityError, transaction

from intake.services import dossier_receive
from onestop import clock
from onestop.errors import Conflict, InvalidInput, NotAllowed
from postal.models import OutOfListReview
from postal.selectors import out_of_list_queue
from postal.services import out_of_list_review
from tests.intake.factories import ProcedureFactory
from tests.postal.conftest import at
from tests.postal.factories import AssignmentFactory

pytestmark = pytest.mark.intake_rules

TUESDAY_9 = at(2026, 3, 10, 9, 0)


@pytest.fixture
def out_of_list(world):
    AssignmentFactory(
        ward=world.ward,
        worker=world.postal_worker,
        date=TUESDAY_9.date(),
        task_type="out_of_list_intake",
        counter=world.postal_counter,
        assigned_by=world.chief,
    )
    with clock.frozen_at(TUESDAY_9):
        dossier = dossier_receive(
            user=world.postal_worker,
            procedure=ProcedureFactory(not_postal=True, name="Chứng thực hợp đồng"),
            channel=1,
            applicant_name="Lê Thị Hồng",
            applicant_id_number="074190004321",
            applicant_address="8 Nguyễn Văn Tiết",
        ).dossier
    assert dossier.out_of_list
    return dossier


def review(world, dossier, comment="Đúng quy trình, đã chuyển Tư pháp", user=None):
    with clock.frozen_at(at(2026, 3, 10, 15, 0)):
        return out_of_list_review(user=user or world.chief, code=dossier.code, comment=comment)


def test_the_review_is_recorded_with_one_event_and_the_status_unchanged(world, out_of_list):
    status = out_of_list.status
    done = review(world, out_of_list)
    assert (done.reviewed_by, done.reviewed_at) == (world.chief, at(2026, 3, 10, 15, 0))
    out_of_list.refresh_from_db()
    assert out_of_list.status == status
    event = out_of_list.events.latest("id")
    assert event.action == "review_out_of_list"
    assert (event.from_status, event.to_status) == (status, status)
    assert event.note == "Đúng quy trình, đã chuyển Tư pháp"
    assert event.actor == world.chief


def test_the_queue_holds_what_awaits_review(world, out_of_list):
    assert list(out_of_list_queue(user=world.chief)) == [out_of_list]
    review(world, out_of_list)
    assert list(out_of_list_queue(user=world.chief)) == []
    assert list(out_of_list_queue(user=world.other_chief)) == []


def test_a_review_needs_a_comment(world, out_of_list):
    with pytest.raises(InvalidInput) as refusal:
        review(world, out_of_list, comment=" ")
    assert refusal.value.field == "comment"


def test_a_second_review_is_refused_naming_the_first(world, out_of_list):
    review(world, out_of_list)
    assert review(world, out_of_list).pk  # the same review sent twice: answered once
    assert out_of_list.events.filter(action="review_out_of_list").count() == 1
    with pytest.raises(Conflict, match="đã được"):
        review(world, out_of_list, comment="Nhận xét khác")


def test_only_out_of_list_dossiers_are_reviewed(world, out_of_list, settings):
    settings.INTAKE_RULES = []
    with clock.frozen_at(TUESDAY_9):
        ordinary = dossier_receive(
            user=world.officer,
            procedure=ProcedureFactory(),
            channel=1,
            applicant_name="Lê Văn Tám",
            applicant_id_number="074085009999",
            applicant_address="1 Yersin",
        ).dossier
    with pytest.raises(Conflict, match="không phải hồ sơ tiếp nhận ngoài danh mục"):
        review(world, ordinary)


@pytest.mark.parametrize("actor", ["postal_worker", "officer", "city_admin"])
def test_only_the_chief_reviews(world, out_of_list, actor):
    with pytest.raises(NotAllowed):
        review(world, out_of_list, user=getattr(world, actor))


def test_another_wards_chief_does_not_find_the_dossier(world, out_of_list):
    from intake.models import Dossier

    with pytest.raises(Dossier.DoesNotExist):
        review(world, out_of_list, user=world.other_chief)


def test_the_database_keeps_one_review_per_dossier(world, out_of_list):
    review(world, out_of_list)
    with pytest.raises(IntegrityError), transaction.atomic():
        OutOfListReview.objects.create(
            dossier=out_of_list, reviewed_at=TUESDAY_9, reviewed_by=world.chief, comment="x"
        )
