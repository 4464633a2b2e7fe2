"""The roster service: who may assign, to whom, where, and never twice in one shift."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from onestop import clock
from onestop.errors import Conflict, InvalidInput, NotAllowed
from postal.models import Assignment, AssignmentChange, Shift, TaskType
from postal.services import roster
from postal.services.roster import (
    assignment_cancel,
    assignment_create,
    assignment_update,
    week_copy,
)
from tests.onestop.factories import UserFactory
from tests.postal.conftest import FRIDAY, MONDAY, TUESDAY, at
from tests.postal.factories import AssignmentFactory
from tests.wards.factories import CounterFactory

pytestmark = pytest.mark.usefixtures("friday")


def assign(world, **kwargs) -> Assignment:
    values = {
        "user": world.chief,
        "worker": world.postal_worker,
        "date": MONDAY,
        "shift": Shift.MORNING,
        "task_type": TaskType.INTAKE,
        "counter": world.postal_counter,
        **kwargs,
    }
    return assignment_create(**values)


def test_the_chief_assigns_a_worker_and_the_history_records_it(world):
    assignment = assign(world, note="Thay chị Hoa")
    assert assignment.ward == world.ward
    assert assignment.assigned_by == world.chief
    assert assignment.created_at == FRIDAY
    change = assignment.changes.get()
    assert change.action == AssignmentChange.Action.CREATED
    assert change.actor == world.chief
    assert change.after == {
        "worker": world.postal_worker.pk,
        "date": "2026-03-09",
        "shift": "morning",
        "task_type": "intake",
        "counter": world.postal_counter.pk,
        "note": "Thay chị Hoa",
    }


@pytest.mark.parametrize("actor", ["postal_worker", "officer", "city_admin", "other_postal_worker"])
def test_only_the_chief_of_the_ward_assigns(world, actor):
    user = getattr(world, actor)
    with pytest.raises(NotAllowed) as refusal:
        assign(world, user=user)
    assert "trưởng bộ phận" in refusal.value.message
    assert not Assignment.objects.exists()


def test_another_wards_worker_is_not_assigned(world):
    with pytest.raises(InvalidInput) as refusal:
        assign(world, worker=world.other_postal_worker)
    assert refusal.value.field == "worker"
    with pytest.raises(InvalidInput):
        assign(world, user=world.other_chief, counter=world.other_counter)


def test_only_postal_workers_are_on_the_roster(world):
    with pytest.raises(InvalidInput) as refusal:
        assign(world, worker=world.officer)
    assert refusal.value.field == "worker"


def test_a_locked_account_is_not_assigned(world):
    world.postal_worker.is_active = False
    world.postal_worker.save()
    with pytest.raises(InvalidInput, match="đang bị khoá"):
        assign(world)


def test_a_counter_of_another_ward_or_closed_is_refused(world):
    with pytest.raises(InvalidInput) as refusal:
        assign(world, counter=world.other_counter)
    assert refusal.value.field == "counter"
    closed = CounterFactory(ward=world.ward, number=9, active=False)
    with pytest.raises(InvalidInput):
        assign(world, counter=closed)


@pytest.mark.parametrize(
    "task", [TaskType.INTAKE, TaskType.RESULT_RETURN, TaskType.OUT_OF_LIST_INTAKE]
)
def test_counter_tasks_need_a_counter(world, task):
    with pytest.raises(InvalidInput) as refusal:
        assign(world, task_type=task, counter=None)
    assert refusal.value.field == "counter"
    assert "cần chọn quầy" in refusal.value.message


@pytest.mark.parametrize("task", [TaskType.DATA_ENTRY, TaskType.GUIDANCE])
def test_back_office_tasks_need_no_counter(world, task):
    assert assign(world, task_type=task, counter=None).counter is None


def test_unknown_shift_and_task_are_refused(world):
    with pytest.raises(InvalidInput) as refusal:
        assign(world, shift="night")
    assert refusal.value.field == "shift"
    with pytest.raises(InvalidInput) as refusal:
        assign(world, task_type="cleaning")
    assert refusal.value.field == "task_type"


def test_a_second_task_in_the_same_shift_is_refused_naming_the_first(world):
    assign(world)
    second_counter = CounterFactory(ward=world.ward, number=5, name="Quầy phụ")
    with pytest.raises(Conflict) as refusal:
        assign(world, counter=second_counter, task_type=TaskType.RESULT_RETURN)
    message = refusal.value.message
    assert "Tiếp nhận" in message
    assert "ca sáng 09/03/2026" in message
    assert f"Quầy {world.postal_counter.number}" in message
    assert Assignment.objects.count() == 1


def test_the_other_shift_and_another_worker_are_free(world):
    assign(world)
    assign(world, shift=Shift.AFTERNOON)
    colleague = UserFactory(postal_worker=True, ward=world.ward)
    assign(world, worker=colleague)
    assert Assignment.objects.active().count() == 3


def test_the_database_refuses_a_double_booking_whatever_writes_it(world):
    first = AssignmentFactory(ward=world.ward, worker=world.postal_worker, date=MONDAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        AssignmentFactory(
            ward=world.ward, worker=world.postal_worker, date=MONDAY, counter=first.counter
        )
    # A cancelled assignment leaves the shift free.
    AssignmentFactory(ward=world.ward, worker=world.postal_worker, date=TUESDAY, cancelled=True)
    AssignmentFactory(ward=world.ward, worker=world.postal_worker, date=TUESDAY)


def test_the_constraint_answers_with_the_clash_when_the_check_was_raced(world, monkeypatch):
    """Two chiefs' requests both passed the check: the constraint catches the second."""
    existing = assign(world)
    real = roster._clash
    calls = []

    def raced(*args, **kwargs):
        calls.append(args)
        # The first look (before the write) sees nothing, as if the other row was not committed.
        return None if len(calls) == 1 else real(*args, **kwargs)

    monkeypatch.setattr(roster, "_clash", raced)
    with pytest.raises(Conflict) as refusal:
        assign(world, task_type=TaskType.GUIDANCE, counter=None)
    assert existing.describe() in refusal.value.message
    assert Assignment.objects.active().count() == 1


@pytest.mark.django_db
def test_database_constraints_keep_the_roster_sound(world):
    AssignmentFactory(ward=world.ward, worker=world.postal_worker, back_office=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        AssignmentFactory(
            ward=world.ward, worker=world.postal_worker, date=TUESDAY, counter=None
        )  # an intake task with no counter
    with pytest.raises(IntegrityError), transaction.atomic():
        AssignmentFactory(
            ward=world.ward, date=TUESDAY, cancelled_at=FRIDAY, cancelled_by=world.chief
        )  # cancelled without a reason
    with pytest.raises(IntegrityError), transaction.atomic():
        AssignmentFactory(ward=world.ward, date=TUESDAY, shift="evening")


def test_a_past_day_needs_a_correction_note(world):
    yesterday = dt.date(2026, 3, 5)
    with pytest.raises(InvalidInput) as refusal:
        assign(world, date=yesterday)
    assert refusal.value.field == "note"
    assert "05/03/2026" in refusal.value.message
    corrected = assign(world, date=yesterday, note="Bổ sung: chị Hoa trực thay hôm qua")
    assert corrected.date == yesterday


def test_today_is_not_the_past(world):
    assert assign(world, date=dt.date(2026, 3, 6)).date == dt.date(2026, 3, 6)


# --- update ----------------------------------------------------------------------------------


def test_an_update_keeps_before_and_after(world):
    assignment = assign(world)
    desk = CounterFactory(ward=world.ward, number=4)
    updated = assignment_update(
        user=world.chief, assignment_id=assignment.pk, counter=desk, task_type="result_return"
    )
    assert (updated.counter, updated.task_type) == (desk, "result_return")
    change = updated.changes.latest("id")
    assert change.action == AssignmentChange.Action.UPDATED
    assert change.before["counter"] == world.postal_counter.pk
    assert change.after["counter"] == desk.pk
    assert change.after["task_type"] == "result_return"


def test_an_update_that_changes_nothing_writes_nothing(world):
    assignment = assign(world)
    assignment_update(user=world.chief, assignment_id=assignment.pk, shift=Shift.MORNING)
    assert assignment.changes.count() == 1


def test_moving_into_a_taken_shift_is_refused(world):
    morning = assign(world)
    afternoon = assign(world, shift=Shift.AFTERNOON, task_type=TaskType.GUIDANCE, counter=None)
    with pytest.raises(Conflict) as refusal:
        assignment_update(user=world.chief, assignment_id=afternoon.pk, shift=Shift.MORNING)
    assert morning.describe() in refusal.value.message
    afternoon.refresh_from_db()
    assert afternoon.shift == Shift.AFTERNOON


def test_an_update_to_a_back_office_task_may_drop_the_counter(world):
    assignment = assign(world)
    updated = assignment_update(
        user=world.chief, assignment_id=assignment.pk, task_type=TaskType.DATA_ENTRY, counter=None
    )
    assert updated.counter is None


def test_another_wards_assignment_is_not_found(world):
    theirs = AssignmentFactory(ward=world.other_ward, counter=world.other_counter)
    with pytest.raises(Assignment.DoesNotExist):
        assignment_update(user=world.chief, assignment_id=theirs.pk, note="x")
    with pytest.raises(Assignment.DoesNotExist):
        assignment_cancel(user=world.chief, assignment_id=theirs.pk, note="x")


def test_a_past_assignment_is_corrected_only_with_a_note(world):
    assignment = assign(world)
    with clock.frozen_at(at(2026, 3, 10, 8, 0)):
        with pytest.raises(InvalidInput) as refusal:
            assignment_update(user=world.chief, assignment_id=assignment.pk, shift="afternoon")
        assert refusal.value.field == "note"
        assignment_update(
            user=world.chief,
            assignment_id=assignment.pk,
            shift="afternoon",
            note="Thực tế chị trực buổi chiều",
        )
    assert assignment.changes.latest("id").note == "Thực tế chị trực buổi chiều"


def test_a_cancelled_assignment_is_not_edited(world):
    assignment = assign(world)
    assignment_cancel(user=world.chief, assignment_id=assignment.pk, note="Nghỉ ốm")
    with pytest.raises(Conflict):
        assignment_update(user=world.chief, assignment_id=assignment.pk, shift="afternoon")


# --- cancel ----------------------------------------------------------------------------------


def test_cancelling_keeps_the_row_and_frees_the_shift(world):
    assignment = assign(world)
    cancelled = assignment_cancel(
        user=world.chief, assignment_id=assignment.pk, note="  Nghỉ   phép năm "
    )
    assert cancelled.cancelled_at == FRIDAY
    assert cancelled.cancelled_by == world.chief
    assert cancelled.cancel_note == "Nghỉ phép năm"
    assert Assignment.objects.filter(pk=assignment.pk).exists()
    assert [c.action for c in cancelled.changes.all()] == ["created", "cancelled"]
    assign(world)  # the shift is free again
    assert Assignment.objects.count() == 2


def test_cancelling_needs_a_reason(world):
    assignment = assign(world)
    with pytest.raises(InvalidInput) as refusal:
        assignment_cancel(user=world.chief, assignment_id=assignment.pk, note="  ")
    assert refusal.value.field == "note"


def test_cancelling_twice_is_answered_once(world):
    assignment = assign(world)
    assignment_cancel(user=world.chief, assignment_id=assignment.pk, note="Nghỉ ốm")
    assignment_cancel(user=world.chief, assignment_id=assignment.pk, note="Nghỉ ốm")
    assert assignment.changes.filter(action="cancelled").count() == 1
    with pytest.raises(Conflict):
        assignment_cancel(user=world.chief, assignment_id=assignment.pk, note="Lý do khác")


def test_only_the_chief_cancels(world):
    assignment = assign(world)
    with pytest.raises(NotAllowed):
        assignment_cancel(user=world.postal_worker, assignment_id=assignment.pk, note="x")


# --- copy last week --------------------------------------------------------------------------


def test_copy_last_week_fills_the_free_slots_and_says_what_it_skipped(world):
    colleague = UserFactory(postal_worker=True, ward=world.ward, last_name="Võ", first_name="An")
    leaver = UserFactory(postal_worker=True, ward=world.ward, last_name="Lý", first_name="Bé")
    last_monday = dt.date(2026, 3, 2)
    for worker, shift in ((world.postal_worker, "morning"), (colleague, "afternoon")):
        AssignmentFactory(
            ward=world.ward,
            worker=worker,
            date=last_monday,
            shift=shift,
            counter=world.postal_counter,
            note="Ca thường",
        )
    AssignmentFactory(
        ward=world.ward, worker=leaver, date=last_monday, counter=world.postal_counter
    )
    AssignmentFactory(
        ward=world.ward, worker=world.postal_worker, date=dt.date(2026, 3, 3), cancelled=True
    )
    leaver.is_active = False
    leaver.save()
    # Already planned by hand this week: the copy leaves it alone.
    AssignmentFactory(
        ward=world.ward, worker=colleague, date=MONDAY, shift="afternoon", back_office=True
    )
    result = week_copy(user=world.chief, week_start=MONDAY)
    assert [(a.worker, a.date, a.shift) for a in result.created] == [
        (world.postal_worker, MONDAY, "morning")
    ]
    assert result.created[0].note == "Ca thường"
    assert result.created[0].changes.get().action == AssignmentChange.Action.COPIED
    assert len(result.skipped) == 2
    assert any("Lý Bé" in line and "khoá" in line for line in result.skipped)
    assert any("Võ An" in line and "đã có phân công" in line for line in result.skipped)
    # Copying again adds nothing.
    assert week_copy(user=world.chief, week_start=MONDAY).created == []


def test_copy_never_writes_into_past_days(world):
    AssignmentFactory(
        ward=world.ward, worker=world.postal_worker, date=dt.date(2026, 2, 23)
    )  # Monday of last week, relative to the week of 02/03
    result = week_copy(user=world.chief, week_start=dt.date(2026, 3, 2))
    assert result.created == []
    assert "ngày đã qua" in result.skipped[0]


def test_copy_is_for_the_chief_only(world):
    with pytest.raises(NotAllowed):
        week_copy(user=world.officer, week_start=MONDAY)
