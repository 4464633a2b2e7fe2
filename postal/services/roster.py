"""The roster: who does which task, in which shift, at which counter.

Rules (the same for the week grid, the plain form and the API): only the chief of the ward
writes; only active postal workers of the ward, only active counters of the ward; a counter for
counter tasks; one live assignment per worker and shift (a database constraint, so concurrent
edits never double-book; the refusal names the assignment already there); nothing in the past
unless the chief corrects it with a note; a cancellation keeps the row and its reason.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from onestop import clock
from onestop.errors import Conflict, InvalidInput
from onestop.models import User
from postal.models import COUNTER_TASKS, Assignment, AssignmentChange, Shift, TaskType
from postal.services._common import clean_text, require_chief, require_worker_of
from postal.weeks import monday_of, today
from wards.models import Counter

NOTE_LIMIT = 300
# A roster is planned at most a year ahead; a date outside this range is a typing slip (and
# the year 1 or 9999 would leave no week before or after it for the grid to show).
EARLIEST_DAY = dt.date(2000, 1, 1)
PLANNING_HORIZON = dt.timedelta(days=366)


def _validate(
    *,
    ward_id: int,
    worker: User,
    date: dt.date,
    shift: str,
    task_type: str,
    counter: Counter | None,
    note: str,
    past_ok: bool = False,
) -> None:
    require_worker_of(ward_id, worker)
    if shift not in Shift.values:
        raise InvalidInput(_("Ca làm việc không hợp lệ (sáng hoặc chiều)."), field="shift")
    if task_type not in TaskType.values:
        raise InvalidInput(_("Nhiệm vụ không hợp lệ."), field="task_type")
    if counter is not None and (counter.ward_id != ward_id or not counter.active):
        raise InvalidInput(_("Quầy không thuộc phường hoặc đã ngừng hoạt động."), field="counter")
    if task_type in COUNTER_TASKS and counter is None:
        raise InvalidInput(
            _("Nhiệm vụ “%(task)s” cần chọn quầy.") % {"task": TaskType(task_type).label},
            field="counter",
        )
    if not EARLIEST_DAY <= date <= today() + PLANNING_HORIZON:
        raise InvalidInput(
            _("Chỉ phân công từ ngày 01/01/2000 đến %(last)s (trước tối đa một năm).")
            % {"last": f"{today() + PLANNING_HORIZON:%d/%m/%Y}"},
            field="date",
        )
    if date < today() and not note and not past_ok:
        raise InvalidInput(
            _(
                "Ngày %(date)s đã qua. Chỉ sửa phân công của ngày đã qua khi có ghi chú "
                "giải thích việc điều chỉnh."
            )
            % {"date": f"{date:%d/%m/%Y}"},
            field="note",
        )


def _clash(worker: User, date: dt.date, shift: str, exclude: int | None = None):
    return (
        Assignment.objects.active()
        .filter(worker=worker, date=date, shift=shift)
        .exclude(pk=exclude)
        .select_related("counter")
        .first()
    )


def _clash_error(worker: User, clash: Assignment) -> Conflict:
    return Conflict(
        _("%(name)s đã được phân công trong ca này: %(other)s. Huỷ hoặc sửa phân công đó trước.")
        % {"name": worker.get_full_name() or worker.username, "other": clash.describe()}
    )


def _lock_worker(worker: User) -> None:
    # Serialise writes to one worker's roster: the clash check then sees every committed row.
    # The unique constraint still guards the paths that do not take this lock.
    type(worker).objects.select_for_update().filter(pk=worker.pk).first()


def _save_checked(assignment: Assignment, worker: User) -> None:
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError:
        # Another transaction booked the same worker and shift between the check and the write.
        clash = _clash(worker, assignment.date, assignment.shift, exclude=assignment.pk)
        if clash is None:
            raise
        raise _clash_error(worker, clash) from None


def assignment_create(
    *,
    user: User,
    worker: User,
    date: dt.date,
    shift: str,
    task_type: str,
    counter: Counter | None = None,
    note: str = "",
) -> Assignment:
    """Assign `worker` a task for one shift. Conflict when the worker already has one there."""
    ward_id = require_chief(user)
    note = clean_text(note, limit=NOTE_LIMIT, field="note")
    _validate(
        ward_id=ward_id,
        worker=worker,
        date=date,
        shift=shift,
        task_type=task_type,
        counter=counter,
        note=note,
    )
    now = clock.now()
    with transaction.atomic():
        _lock_worker(worker)
        if clash := _clash(worker, date, shift):
            raise _clash_error(worker, clash)
        assignment = Assignment(
            ward_id=ward_id,
            worker=worker,
            date=date,
            shift=shift,
            task_type=task_type,
            counter=counter,
            note=note,
            assigned_by=user,
            created_at=now,
            updated_at=now,
        )
        _save_checked(assignment, worker)
        AssignmentChange.objects.create(
            assignment=assignment,
            at=now,
            actor=user,
            action=AssignmentChange.Action.CREATED,
            after=assignment.snapshot(),
            note=note,
        )
    return assignment


def _locked(user: User, assignment_id: int) -> Assignment:
    ward_id = require_chief(user)
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("worker", "counter")
        .get(pk=assignment_id, ward_id=ward_id)
    )


class _Keep:
    """The value an update leaves unchanged (None is a value for `counter`)."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()


def assignment_update(
    *,
    user: User,
    assignment_id: int,
    worker: User = KEEP,
    date: dt.date = KEEP,
    shift: str = KEEP,
    task_type: str = KEEP,
    counter: Counter | None = KEEP,
    note: str = KEEP,
) -> Assignment:
    """Change an assignment; arguments not given keep their value.

    Raises Assignment.DoesNotExist (a 404) outside the chief's ward. A day already past is only
    corrected with a note given in this very change.
    """
    ward_id = require_chief(user)
    now = clock.now()
    with transaction.atomic():
        assignment = _locked(user, assignment_id)
        if assignment.is_cancelled:
            raise Conflict(_("Phân công này đã bị huỷ, không sửa được nữa."))
        before = assignment.snapshot()
        given_note = "" if note is KEEP else clean_text(note, limit=NOTE_LIMIT, field="note")
        worker = assignment.worker if worker is KEEP else worker
        date = assignment.date if date is KEEP else date
        shift = assignment.shift if shift is KEEP else shift
        task_type = assignment.task_type if task_type is KEEP else task_type
        counter = assignment.counter if counter is KEEP else counter
        note = assignment.note if note is KEEP else given_note
        if min(assignment.date, date) < today() and not given_note:
            raise InvalidInput(
                _(
                    "Phân công của ngày đã qua chỉ được điều chỉnh kèm ghi chú giải thích "
                    "việc điều chỉnh."
                ),
                field="note",
            )
        _validate(
            ward_id=ward_id,
            worker=worker,
            date=date,
            shift=shift,
            task_type=task_type,
            counter=counter,
            note=note,
            past_ok=True,
        )
        if worker.pk != assignment.worker_id:
            _lock_worker(worker)
        if clash := _clash(worker, date, shift, exclude=assignment.pk):
            raise _clash_error(worker, clash)
        assignment.worker = worker
        assignment.date = date
        assignment.shift = shift
        assignment.task_type = task_type
        assignment.counter = counter
        assignment.note = note
        after = assignment.snapshot()
        if after == before:
            return assignment  # nothing changed: a double submit
        assignment.updated_at = now
        _save_checked(assignment, worker)
        AssignmentChange.objects.create(
            assignment=assignment,
            at=now,
            actor=user,
            action=AssignmentChange.Action.UPDATED,
            before=before,
            after=after,
            note=given_note,
        )
    return assignment


def assignment_cancel(*, user: User, assignment_id: int, note: str) -> Assignment:
    """Cancel an assignment, keeping it and the reason in history."""
    require_chief(user)
    note = clean_text(note, limit=NOTE_LIMIT, field="note")
    now = clock.now()
    with transaction.atomic():
        assignment = _locked(user, assignment_id)
        if not note:
            raise InvalidInput(_("Ghi lý do huỷ phân công."), field="note")
        if assignment.is_cancelled:
            if assignment.cancel_note == note:
                return assignment  # the same cancellation sent twice
            raise Conflict(_("Phân công này đã bị huỷ trước đó."))
        before = assignment.snapshot()
        assignment.cancelled_at = now
        assignment.cancelled_by = user
        assignment.cancel_note = note
        assignment.updated_at = now
        assignment.save(update_fields=["cancelled_at", "cancelled_by", "cancel_note", "updated_at"])
        AssignmentChange.objects.create(
            assignment=assignment,
            at=now,
            actor=user,
            action=AssignmentChange.Action.CANCELLED,
            before=before,
            note=note,
        )
    return assignment


@dataclass
class CopyResult:
    created: list[Assignment] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def week_copy(*, user: User, week_start: dt.date) -> CopyResult:
    """Copy the previous week's live assignments into the week starting `week_start`.

    Slots already taken, days already past, workers no longer active and counters closed are
    skipped and named in the result, so the chief sees what still needs a hand.
    """
    ward_id = require_chief(user)
    week_start = monday_of(week_start)
    source = (
        Assignment.objects.active()
        .filter(
            ward_id=ward_id,
            date__gte=week_start - dt.timedelta(days=7),
            date__lt=week_start,
        )
        .select_related("worker", "counter")
        .order_by("date", "shift", "worker__last_name", "worker__first_name")
    )
    result = CopyResult()
    now = clock.now()
    first_open_day = today()
    with transaction.atomic():
        taken = set(
            Assignment.objects.active()
            .filter(ward_id=ward_id, date__gte=week_start, date__lt=week_start + dt.timedelta(7))
            .values_list("worker_id", "date", "shift")
        )
        for old in source:
            date = old.date + dt.timedelta(days=7)
            name = old.worker.get_full_name() or old.worker.username
            label = f"{name}, {old.get_shift_display().lower()} {date:%d/%m}"
            if date < first_open_day:
                result.skipped.append(_("%(slot)s: ngày đã qua") % {"slot": label})
                continue
            if not old.worker.is_active or old.worker.ward_id != ward_id:
                result.skipped.append(_("%(slot)s: tài khoản đã khoá") % {"slot": label})
                continue
            if old.counter_id and not old.counter.active:
                result.skipped.append(_("%(slot)s: quầy đã ngừng hoạt động") % {"slot": label})
                continue
            if (old.worker_id, date, old.shift) in taken:
                result.skipped.append(_("%(slot)s: đã có phân công") % {"slot": label})
                continue
            assignment = Assignment(
                ward_id=ward_id,
                worker=old.worker,
                date=date,
                shift=old.shift,
                task_type=old.task_type,
                counter=old.counter,
                note=old.note,
                assigned_by=user,
                created_at=now,
                updated_at=now,
            )
            try:
                _save_checked(assignment, old.worker)
            except Conflict:
                result.skipped.append(_("%(slot)s: đã có phân công") % {"slot": label})
                continue
            taken.add((old.worker_id, date, old.shift))
            AssignmentChange.objects.create(
                assignment=assignment,
                at=now,
                actor=user,
                action=AssignmentChange.Action.COPIED,
                after=assignment.snapshot(),
                note=_("Sao chép từ ngày %(date)s") % {"date": f"{old.date:%d/%m/%Y}"},
            )
            result.created.append(assignment)
    return result
