"""Scoped reads of the postal back office: every read starts from the user.

Ward staff read their ward's roster, grants, batches and guidance; city admins read those of
their city's wards; a chief's management pages read only the ward they run. Anything else is
absent from the querysets (a 404 for the caller).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from intake.models import OPEN, Dossier, Procedure, Status
from intake.selectors import dossiers_for_user
from onestop import clock
from onestop.models import Role, User
from onestop.scope import visible_wards, working_ward_id
from postal.models import (
    AccountEvent,
    Assignment,
    AssignmentChange,
    DataEntryBatch,
    DataEntryRecord,
    GuidanceSession,
    ProcedureAuthorization,
    Shift,
    TaskType,
    shift_of,
)
from postal.weeks import week_days
from wards import calendar
from wards.models import Counter
from wards.selectors import working_calendar

# --- people ----------------------------------------------------------------------------------


def postal_workers_for_user(*, user: User, include_inactive: bool = False) -> QuerySet[User]:
    """Postal workers of the wards `user` may see, with their profiles."""
    workers = User.objects.filter(
        role=Role.POSTAL_WORKER, ward__in=visible_wards(user).values("pk")
    ).select_related("postal_profile", "ward")
    if not include_inactive:
        workers = workers.filter(is_active=True)
    return workers.order_by("last_name", "first_name", "username")


def managed_ward_id(user: User) -> int | None:
    """The ward `user` runs as chief, or None."""
    ward_id = working_ward_id(user)
    return ward_id if user.role == Role.CHIEF else None


def postal_accounts_for_chief(*, user: User) -> QuerySet[User]:
    """The postal accounts a chief manages: their ward's, locked ones included."""
    ward_id = managed_ward_id(user)
    if ward_id is None:
        return User.objects.none()
    return (
        User.objects.filter(role=Role.POSTAL_WORKER, ward_id=ward_id)
        .select_related("postal_profile", "ward")
        .order_by("-is_active", "last_name", "first_name", "username")
    )


def account_events(*, account: User) -> QuerySet[AccountEvent]:
    return account.account_events.select_related("actor").order_by("-at", "-id")


def counters_for_chief(*, user: User) -> QuerySet[Counter]:
    """The counters a chief manages, closed ones included."""
    ward_id = managed_ward_id(user)
    if ward_id is None:
        return Counter.objects.none()
    return Counter.objects.filter(ward_id=ward_id).order_by("-active", "number")


def ward_counters(*, user: User) -> QuerySet[Counter]:
    """The open counters of the ward `user` works in (choices for the roster and forms)."""
    ward_id = working_ward_id(user)
    if ward_id is None:
        return Counter.objects.none()
    return Counter.objects.filter(ward_id=ward_id, active=True).order_by("number")


# --- the roster ------------------------------------------------------------------------------


def assignments_for_user(*, user: User) -> QuerySet[Assignment]:
    """Assignments of the wards `user` may see, cancelled ones included."""
    return Assignment.objects.filter(ward__in=visible_wards(user).values("pk")).select_related(
        "worker", "counter", "ward"
    )


def assignment_for_chief(*, user: User, pk: int) -> Assignment:
    """One assignment of the chief's ward, or Assignment.DoesNotExist."""
    return (
        Assignment.objects.filter(ward_id=managed_ward_id(user))
        .select_related("worker", "counter")
        .get(pk=pk)
    )


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


def workload(
    *, user: User, first_day: dt.date, last_day: dt.date, workers: list[User] | None = None
) -> list[dict]:
    """Shifts per worker and task type in the ward `user` works in (one grouped query, and one
    for the workers unless they are given)."""
    ward_id = working_ward_id(user)
    rows = (
        Assignment.objects.active()
        .filter(ward_id=ward_id, date__gte=first_day, date__lte=last_day)
        .values("worker_id", "task_type")
        .order_by()
        .annotate(n=Count("pk"))
    )
    per_worker: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(TaskType.values, 0))
    for row in rows:
        per_worker[row["worker_id"]][row["task_type"]] = row["n"]
    if workers is None:
        workers = list(postal_workers_for_user(user=user).filter(ward_id=ward_id))
    return [
        {"worker": w, "tasks": per_worker[w.pk], "total": sum(per_worker[w.pk].values())}
        for w in workers
    ]


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


# --- authorisations --------------------------------------------------------------------------


def authorisations_for_user(*, user: User) -> QuerySet[ProcedureAuthorization]:
    """Grants (standing and revoked) of the wards `user` may see."""
    return ProcedureAuthorization.objects.filter(
        ward__in=visible_wards(user).values("pk")
    ).select_related("worker", "procedure", "granted_by", "revoked_by")


def postal_procedures(*, user: User) -> QuerySet[Procedure]:
    """The postal-eligible procedures in force: what a chief may grant."""
    if not user.is_authenticated:
        return Procedure.objects.none()
    return Procedure.objects.filter(active=True, postal_eligible=True).order_by("field", "name")


@dataclass
class AuthorisationMatrix:
    workers: list[User]
    procedures: list[Procedure]
    grants: dict[tuple[int, int], ProcedureAuthorization]
    per_worker: dict[int, int] = field(default_factory=dict)
    per_procedure: dict[int, int] = field(default_factory=dict)

    def grant(self, worker_id: int, procedure_id: int) -> ProcedureAuthorization | None:
        return self.grants.get((worker_id, procedure_id))


def authorisation_matrix(*, user: User) -> AuthorisationMatrix:
    """Workers × postal-eligible procedures of the ward `user` works in (three queries)."""
    ward_id = working_ward_id(user)
    workers = list(postal_workers_for_user(user=user).filter(ward_id=ward_id))
    procedures = list(postal_procedures(user=user))
    grants = {
        (g.worker_id, g.procedure_id): g
        for g in ProcedureAuthorization.objects.filter(
            ward_id=ward_id, revoked_at__isnull=True, worker__is_active=True
        )
    }
    per_worker: dict[int, int] = defaultdict(int)
    per_procedure: dict[int, int] = defaultdict(int)
    for worker_id, procedure_id in grants:
        per_worker[worker_id] += 1
        per_procedure[procedure_id] += 1
    return AuthorisationMatrix(
        workers=workers,
        procedures=procedures,
        grants=grants,
        per_worker=dict(per_worker),
        per_procedure=dict(per_procedure),
    )


def authorised_procedures(*, user: User) -> QuerySet[Procedure]:
    """What the postal worker `user` may receive on their own now."""
    return Procedure.objects.filter(
        active=True,
        postal_eligible=True,
        authorizations__worker=user,
        authorizations__ward_id=user.ward_id,
        authorizations__revoked_at__isnull=True,
    ).order_by("field", "name")


# --- out-of-list review ----------------------------------------------------------------------


def out_of_list_dossiers(*, user: User) -> QuerySet[Dossier]:
    """Out-of-list dossiers `user` may read, with their review when there is one."""
    return (
        dossiers_for_user(user=user)
        .filter(out_of_list=True)
        .select_related("received_by", "out_of_list_review__reviewed_by", "ward")
        .order_by("-received_at", "-id")
    )


def out_of_list_queue(*, user: User) -> QuerySet[Dossier]:
    """Out-of-list dossiers still awaiting the chief's review, oldest first."""
    return (
        out_of_list_dossiers(user=user)
        .filter(out_of_list_review__isnull=True)
        .order_by("received_at", "id")
    )


# --- data entry and guidance -----------------------------------------------------------------


def batches_for_user(*, user: User) -> QuerySet[DataEntryBatch]:
    """Batches of the wards `user` may see, with the count entered so far."""
    return (
        DataEntryBatch.objects.filter(ward__in=visible_wards(user).values("pk"))
        .select_related("assigned_to", "created_by")
        .annotate(entered=Count("records"))
        .order_by("status", "due_date", "-created_at")
    )


def batch_records(*, batch: DataEntryBatch) -> QuerySet[DataEntryRecord]:
    return batch.records.select_related("dossier", "entered_by").order_by("-entered_at", "-id")


def guidance_for_user(*, user: User) -> QuerySet[GuidanceSession]:
    return GuidanceSession.objects.filter(ward__in=visible_wards(user).values("pk")).select_related(
        "worker", "procedure", "counter"
    )


# --- the worker's today and the chief's dashboard --------------------------------------------


def due_soon_limit(now: dt.datetime, city_id: int) -> dt.datetime:
    """Two working days from now, in the ward's city calendar."""
    return calendar.add_working_time(
        now, 2 * calendar.WORKING_DAY, working_calendar(city_id=city_id)
    )


def _head(queryset: QuerySet, limit: int) -> tuple[list, int]:
    """The first `limit` rows and how many there are: counted only when there are more."""
    rows = list(queryset[: limit + 1])
    if len(rows) <= limit:
        return rows, len(rows)
    return rows[:limit], queryset.count()


@dataclass
class Today:
    now: dt.datetime
    shift: str
    assignments: list[Assignment]
    current: Assignment | None
    ready_to_return: list[Dossier]
    ready_count: int
    batches: list[DataEntryBatch]
    due_soon: list[Dossier]
    authorised: list[Procedure]
    guidance_today: int


def today_for_worker(*, user: User, limit: int = 8) -> Today:
    """A postal worker's home: today's shifts and the queues they serve (constant queries)."""
    now = clock.now()
    local = timezone.localtime(now)
    assignments = todays_assignments(user=user, worker=user)
    shift = shift_of(local)
    current = next((a for a in assignments if a.shift == shift), None)
    ward_dossiers = dossiers_for_user(user=user).filter(ward_id=user.ward_id)
    ready = ward_dossiers.filter(status=Status.RESULT_READY).order_by("resolved_at", "id")
    # `user.ward` is read once per request and shared with the page's header.
    limit_at = due_soon_limit(now, user.ward.city_id)
    due_soon = (
        ward_dossiers.filter(
            received_by=user, status__in=OPEN, appointment_at__gte=now, appointment_at__lte=limit_at
        )
        .select_related("procedure")
        .order_by("appointment_at")
    )
    batches = batches_for_user(user=user).filter(
        assigned_to=user, status=DataEntryBatch.Status.OPEN
    )
    start_of_day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    ready_to_return, ready_count = _head(ready, limit)
    return Today(
        now=local,
        shift=shift,
        assignments=assignments,
        current=current,
        ready_to_return=ready_to_return,
        ready_count=ready_count,
        batches=list(batches),
        due_soon=list(due_soon[:limit]),
        authorised=list(authorised_procedures(user=user)),
        guidance_today=guidance_for_user(user=user)
        .filter(worker=user, at__gte=start_of_day)
        .count(),
    )


@dataclass
class Dashboard:
    now: dt.datetime
    today: list[Assignment]
    overdue: list[Dossier]
    overdue_count: int
    due_soon: list[Dossier]
    due_soon_count: int
    awaiting_review: list[Dossier]
    awaiting_review_count: int
    week_workload: list[dict]
    monday: dt.date
    coverage: AuthorisationMatrix
    covered_procedures: int
    batches: list[DataEntryBatch]
    staff: list[User]


def chief_dashboard(*, user: User, limit: int = 8) -> Dashboard:
    """The chief's home: today's roster, deadlines, the review queue, workload and coverage.

    A fixed number of queries whatever the ward's size; lists are cut at `limit` with counts.
    """
    now = clock.now()
    local = timezone.localtime(now)
    ward_id = working_ward_id(user)
    ward_dossiers = dossiers_for_user(user=user).filter(ward_id=ward_id, status__in=OPEN)
    overdue = ward_dossiers.filter(appointment_at__lt=now).order_by("appointment_at", "id")
    limit_at = due_soon_limit(now, user.ward.city_id)
    due_soon = ward_dossiers.filter(appointment_at__gte=now, appointment_at__lte=limit_at).order_by(
        "appointment_at", "id"
    )
    related = ("procedure", "received_by")
    overdue_rows, overdue_count = _head(overdue.select_related(*related), limit)
    due_rows, due_count = _head(due_soon.select_related(*related), limit)
    review_rows, review_count = _head(out_of_list_queue(user=user), limit)
    monday = local.date() - dt.timedelta(days=local.weekday())
    coverage = authorisation_matrix(user=user)
    staff = list(
        User.objects.filter(ward_id=ward_id)
        .annotate(
            grants=Count(
                "procedure_authorizations",
                filter=Q(procedure_authorizations__revoked_at__isnull=True),
            )
        )
        .order_by("role", "last_name", "first_name")
    )
    return Dashboard(
        now=local,
        today=todays_assignments(user=user),
        overdue=overdue_rows,
        overdue_count=overdue_count,
        due_soon=due_rows,
        due_soon_count=due_count,
        awaiting_review=review_rows,
        awaiting_review_count=review_count,
        week_workload=workload(
            user=user,
            first_day=monday,
            last_day=monday + dt.timedelta(6),
            workers=coverage.workers,
        ),
        monday=monday,
        coverage=coverage,
        covered_procedures=len(coverage.per_procedure),
        batches=list(batches_for_user(user=user).filter(status=DataEntryBatch.Status.OPEN)),
        staff=staff,
    )
