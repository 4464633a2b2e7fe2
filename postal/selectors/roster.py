"""The weekly roster: assignments in scope, one assignment's history, the week as a grid of slots
(worker × day × shift) and today's assignments."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from onestop import clock
from onestop.models import Role, User
from postal.models import Assignment, AssignmentChange, Shift, TaskType
from postal.selectors.people import managed_ward_id, postal_accounts_for_chief
from postal.weeks import week_days
from wards.models import Counter
from wards.scope import visible_wards, working_ward_id
from wards.selectors import working_calendar


def assignments_for_user(*, user: User) -> QuerySet[Assignment]:
    """Assignments of the wards `user` may see, cancelled ones included."""
    return Assignment.objects.filter(ward__in=visible_wards(user).values("pk")).select_related(
        "worker", "counter", "ward"
    )


def assignment_for_chief(*, user: User, pk: int) -> Assignment:
    """One assignment of the chief's ward, or Assignment.DoesNotExist."""
    ward_id = managed_ward_id(user)
    if ward_id is None:
        raise Assignment.DoesNotExist
    return Assignment.objects.filter(ward_id=ward_id).select_related("worker", "counter").get(pk=pk)


def assignment_history(*, assignment: Assignment) -> QuerySet[AssignmentChange]:
    return assignment.changes.select_related("actor").order_by("at", "id")


@dataclass
class Slot:
    worker: User
    day: dt.date
    shift: str
    assignment: Assignment | None = None

    @property
    def key(self) -> str:
        return f"{self.worker.pk}-{self.day:%Y%m%d}-{self.shift}"


@dataclass
class Day:
    date: dt.date
    working: bool

    @property
    def is_weekend(self) -> bool:
        return self.date.weekday() >= 5


@dataclass
class WorkerRow:
    worker: User
    cells: list[list[Slot]]  # one [morning, afternoon] pair per shown day
    totals: dict[str, int]
    shifts: int


@dataclass
class WeekRoster:
    monday: dt.date
    days: list[Day]
    rows: list[WorkerRow]
    task_totals: dict[str, int]
    counters: list[Counter]
    total: int


def week_roster(*, user: User, monday: dt.date) -> WeekRoster:
    """The week grid of the ward `user` works in: workers × days × shifts, with workload.

    Five queries whatever the size of the ward or the week: workers, assignments, counters, the
    city's calendar exceptions, and the ward. Saturdays and Sundays show only when they are
    working days or hold an assignment.
    """
    ward_id = working_ward_id(user)
    if ward_id is None:
        raise Assignment.DoesNotExist("No ward to show a roster for.")
    sunday = monday + dt.timedelta(days=6)
    assignments = list(
        Assignment.objects.active()
        .filter(ward_id=ward_id, date__gte=monday, date__lte=sunday)
        .select_related("counter")
    )
    worker_ids = {a.worker_id for a in assignments}
    workers = list(
        User.objects.filter(role=Role.POSTAL_WORKER, ward_id=ward_id)
        .filter(Q(is_active=True) | Q(pk__in=worker_ids))
        .order_by("last_name", "first_name", "username")
    )
    city_id = visible_wards(user).values_list("city_id", flat=True).get(pk=ward_id)
    cal = working_calendar(city_id=city_id)
    busy_days = {a.date for a in assignments}
    days = [
        Day(date=d, working=cal.is_working_day(d))
        for d in week_days(monday)
        if d.weekday() < 5 or cal.is_working_day(d) or d in busy_days
    ]
    by_slot = {(a.worker_id, a.date, a.shift): a for a in assignments}
    task_totals = dict.fromkeys(TaskType.values, 0)
    rows = []
    for worker in workers:
        totals = dict.fromkeys(TaskType.values, 0)
        cells = []
        for day in days:
            pair = []
            for shift in Shift.values:
                assignment = by_slot.get((worker.pk, day.date, shift))
                if assignment is not None:
                    totals[assignment.task_type] += 1
                    task_totals[assignment.task_type] += 1
                pair.append(Slot(worker=worker, day=day.date, shift=shift, assignment=assignment))
            cells.append(pair)
        rows.append(
            WorkerRow(worker=worker, cells=cells, totals=totals, shifts=sum(totals.values()))
        )
    counters = list(Counter.objects.filter(ward_id=ward_id, active=True).order_by("number"))
    return WeekRoster(
        monday=monday,
        days=days,
        rows=rows,
        task_totals=task_totals,
        counters=counters,
        total=len(assignments),
    )


def slot_for_chief(*, user: User, worker_id: int, day: dt.date, shift: str) -> Slot:
    """One cell of the chief's grid: the worker (of the chief's ward) and what fills it."""
    worker = postal_accounts_for_chief(user=user).get(pk=worker_id)
    assignment = (
        Assignment.objects.active()
        .filter(worker=worker, date=day, shift=shift)
        .select_related("counter")
        .first()
    )
    return Slot(worker=worker, day=day, shift=shift, assignment=assignment)


def todays_assignments(*, user: User, worker: User | None = None) -> list[Assignment]:
    """Today's live assignments in the ward `user` works in (one worker's, when given)."""
    ward_id = working_ward_id(user)
    today = timezone.localdate(clock.now())
    assignments = (
        Assignment.objects.active()
        .filter(ward_id=ward_id, date=today)
        .select_related("worker", "counter")
        .order_by("shift", "worker__last_name", "worker__first_name")
    )
    if worker is not None:
        assignments = assignments.filter(worker=worker)
    return sorted(assignments, key=lambda a: Shift.values.index(a.shift))
