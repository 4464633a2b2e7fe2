"""Scoped reads of the postal back office: every read starts from the user.

Ward staff read their ward's roster, grants, batches and guidance; city admins read those of
their city's wards; a chief's management pages read only the ward they run. Anything else is
absent from the querysets (a 404 for the caller).
"""

import datetime as dt
import operator
from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone

from intake.models import OPEN, Dossier, Procedure, Status
from intake.selectors import dossiers_for_user
from onestop import clock
from onestop.models import Role, User
from onestop.text import fold
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
from wards.scope import visible_wards, working_ward_id
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


@dataclass
class Head:
    """The first rows of a list and how many rows the whole list holds."""

    rows: list
    count: int


def _heads(
    queryset: QuerySet, lists: dict[str, tuple[Q, tuple[str, ...]]], limit: int
) -> dict[str, Head]:
    """The first `limit` rows of each named list and each list's size, in one query.

    `lists` names a condition on `queryset` and an order for each list; a row may belong to
    several lists. Window functions number and count the rows that meet each condition
    (ROW_NUMBER and COUNT over a partition by the condition), so the database returns only
    the rows shown, each with its list's size, whatever the lists hold.
    """
    annotations, shown = {}, Q()
    for name, (condition, order) in lists.items():
        member = ExpressionWrapper(condition, output_field=BooleanField())
        annotations[f"in_{name}"] = member
        annotations[f"rank_{name}"] = Window(RowNumber(), partition_by=[member], order_by=order)
        annotations[f"size_{name}"] = Window(Count("pk"), partition_by=[member])
        shown |= Q(**{f"in_{name}": True, f"rank_{name}__lte": limit})
    in_any = reduce(operator.or_, (condition for condition, _ in lists.values()))
    rows = list(queryset.filter(in_any).annotate(**annotations).filter(shown).order_by())
    heads = {}
    for name in lists:
        members = sorted(
            (row for row in rows if getattr(row, f"in_{name}")),
            key=lambda row, name=name: getattr(row, f"rank_{name}"),
        )
        heads[name] = Head(
            rows=members[:limit], count=getattr(members[0], f"size_{name}") if members else 0
        )
    return heads


# What a dossier row of these pages shows (postal/_dossier_rows.html): no personal data.
DOSSIER_ROW_FIELDS = (
    "code",
    "procedure_name",
    "appointment_at",
    "apology_appointment_at",
    "received_by__first_name",
    "received_by__last_name",
)


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
    guidance_procedures: list[Procedure]
    guidance_today: int


def today_for_worker(*, user: User, limit: int = 8) -> Today:
    """A postal worker's home: today's shifts and the queues they serve.

    Six queries whatever the ward holds: today's assignments, the city's calendar (for "due
    soon"), both dossier lists with the count of results to return, the worker's open batches,
    the catalogue (the guidance form's choices, each marked when the worker may receive it on
    their own) and the worker's guidance sessions of the day.
    """
    now = clock.now()
    local = timezone.localtime(now)
    assignments = todays_assignments(user=user, worker=user)
    shift = shift_of(local)
    # `user.ward` comes with the signed-in user (onestop.auth.UserBackend).
    limit_at = due_soon_limit(now, user.ward.city_id)
    heads = _heads(
        dossiers_for_user(user=user)
        .filter(ward_id=user.ward_id)
        .select_related("received_by")
        .only(*DOSSIER_ROW_FIELDS, "status", "resolved_at"),
        {
            "ready": (Q(status=Status.RESULT_READY), ("resolved_at", "id")),
            "due_soon": (
                Q(
                    received_by=user,
                    status__in=OPEN,
                    appointment_at__gte=now,
                    appointment_at__lte=limit_at,
                ),
                ("appointment_at", "id"),
            ),
        },
        limit,
    )
    batches = batches_for_user(user=user).filter(
        assigned_to=user, status=DataEntryBatch.Status.OPEN
    )
    start_of_day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    catalogue = list(
        Procedure.objects.filter(active=True)
        .only("code", "name", "field")
        .annotate(authorised=Exists(authorised_procedures(user=user).filter(pk=OuterRef("pk"))))
        .order_by("name")
    )
    authorised = sorted(
        (p for p in catalogue if p.authorised),
        key=lambda p: (fold(p.field), fold(p.name), p.name),
    )
    return Today(
        now=local,
        shift=shift,
        assignments=assignments,
        current=next((a for a in assignments if a.shift == shift), None),
        ready_to_return=heads["ready"].rows,
        ready_count=heads["ready"].count,
        batches=list(batches),
        due_soon=heads["due_soon"].rows,
        authorised=authorised,
        guidance_procedures=catalogue,
        guidance_today=guidance_for_user(user=user)
        .filter(worker=user, at__gte=start_of_day)
        .count(),
    )


@dataclass
class WorkloadRow:
    worker: User
    tasks: dict[str, int]  # shifts per task type this week
    total: int
    grants: int  # procedures the worker may receive on their own


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
    week_workload: list[WorkloadRow]
    monday: dt.date
    postal_procedures: int
    covered_procedures: int
    batches: list[DataEntryBatch]
    staff: list[User]


def chief_dashboard(*, user: User, limit: int = 8) -> Dashboard:
    """The chief's home: today's roster, deadlines, the review queue, workload and coverage.

    Six queries whatever the ward holds: the city's calendar (for "due soon"), the three
    dossier lists with their counts, the ward's staff with their grants, the postal procedures
    and how many of them someone may receive, the week's assignments (today's roster and the
    week's workload) and the open batches. Lists are cut at `limit`, with their counts.
    """
    now = clock.now()
    local = timezone.localtime(now)
    ward_id = working_ward_id(user)
    limit_at = due_soon_limit(now, user.ward.city_id)
    heads = _heads(
        dossiers_for_user(user=user)
        .filter(ward_id=ward_id)
        .select_related("received_by")
        .only(*DOSSIER_ROW_FIELDS, "status", "received_at", "out_of_list"),
        {
            "overdue": (Q(status__in=OPEN, appointment_at__lt=now), ("appointment_at", "id")),
            "due_soon": (
                Q(status__in=OPEN, appointment_at__gte=now, appointment_at__lte=limit_at),
                ("appointment_at", "id"),
            ),
            "awaiting_review": (  # out_of_list_queue's
                Q(out_of_list=True, out_of_list_review__isnull=True),
                ("received_at", "id"),
            ),
        },
        limit,
    )
    staff = list(
        User.objects.filter(ward_id=ward_id)
        .annotate(
            grants=Count(
                "procedure_authorizations",
                filter=Q(
                    procedure_authorizations__ward_id=ward_id,
                    procedure_authorizations__revoked_at__isnull=True,
                ),
            )
        )
        .order_by("role", "last_name", "first_name", "username")
    )
    coverage = postal_procedures(user=user).aggregate(
        total=Count("pk", distinct=True),
        covered=Count(
            "pk",
            distinct=True,
            filter=Q(
                authorizations__ward_id=ward_id,
                authorizations__revoked_at__isnull=True,
                authorizations__worker__is_active=True,
            ),
        ),
    )
    monday = local.date() - dt.timedelta(days=local.weekday())
    week = list(
        Assignment.objects.active()
        .filter(ward_id=ward_id, date__gte=monday, date__lte=monday + dt.timedelta(days=6))
        .select_related("worker", "counter")
        .order_by("worker__last_name", "worker__first_name", "worker__username", "pk")
    )
    today = sorted(
        (a for a in week if a.date == local.date()), key=lambda a: Shift.values.index(a.shift)
    )
    workers = [p for p in staff if p.role == Role.POSTAL_WORKER and p.is_active]
    return Dashboard(
        now=local,
        today=today,
        overdue=heads["overdue"].rows,
        overdue_count=heads["overdue"].count,
        due_soon=heads["due_soon"].rows,
        due_soon_count=heads["due_soon"].count,
        awaiting_review=heads["awaiting_review"].rows,
        awaiting_review_count=heads["awaiting_review"].count,
        week_workload=_workload(workers, week),
        monday=monday,
        postal_procedures=coverage["total"],
        covered_procedures=coverage["covered"],
        batches=list(batches_for_user(user=user).filter(status=DataEntryBatch.Status.OPEN)),
        staff=staff,
    )


def _workload(workers: list[User], assignments: list[Assignment]) -> list[WorkloadRow]:
    """Shifts per worker and task type, from the week's assignments already read."""
    per_worker: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(TaskType.values, 0))
    for assignment in assignments:
        per_worker[assignment.worker_id][assignment.task_type] += 1
    return [
        WorkloadRow(
            worker=w,
            tasks=per_worker[w.pk],
            total=sum(per_worker[w.pk].values()),
            grants=w.grants,
        )
        for w in workers
    ]
