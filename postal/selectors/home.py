"""The home pages' reads: the postal worker's today (their assignments, the dossiers due soon or
waiting for them) and the chief's dashboard (the ward's workload, overdue and due-soon dossiers).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
)
from django.utils import timezone

from intake.models import OPEN, Dossier, Procedure, Status
from intake.selectors import dossiers_for_user
from intake.worklist import DOSSIER_ROW_FIELDS
from intake.worklist import list_heads as _heads
from onestop import clock
from onestop.models import Role, User
from onestop.text import fold
from postal.models import (
    Assignment,
    DataEntryBatch,
    Shift,
    TaskType,
    shift_in_progress,
    shift_of,
)
from postal.selectors.authorisations import authorised_procedures, postal_procedures
from postal.selectors.data_entry import batches_for_user
from postal.selectors.guidance import guidance_for_user
from postal.selectors.roster import todays_assignments
from wards import calendar
from wards.scope import working_ward
from wards.selectors import working_calendar


def due_soon_limit(now: dt.datetime, city_id: int) -> dt.datetime:
    """Two working days from now, in the ward's city calendar."""
    return calendar.add_working_time(
        now, 2 * calendar.WORKING_DAY, working_calendar(city_id=city_id)
    )


@dataclass
class Today:
    now: dt.datetime
    shift: str
    in_progress: str | None  # the shift under way now, None outside the counter's hours
    assignments: list[Assignment]
    current: Assignment | None
    ready_to_return: list[Dossier]
    ready_count: int
    batches: list[DataEntryBatch]
    due_soon: list[Dossier]
    authorised: Sequence[Procedure]
    guidance_procedures: Sequence[Procedure]
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
    ward = working_ward(user)
    cal = working_calendar(city_id=ward.city_id)
    limit_at = calendar.add_working_time(now, 2 * calendar.WORKING_DAY, cal)
    heads = _heads(
        dossiers_for_user(user=user)
        .filter(ward_id=ward.pk)
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
        .only("code", "name", "field", "processing_days")
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
        in_progress=shift_in_progress(local, working_day=cal.is_working_day(local.date())),
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
    staff: Sequence[User]


def chief_dashboard(*, user: User, limit: int = 8) -> Dashboard:
    """The chief's home: today's roster, deadlines, the review queue, workload and coverage.

    Six queries whatever the ward holds: the city's calendar (for "due soon"), the three
    dossier lists with their counts, the ward's staff with their grants, the postal procedures
    and how many of them someone may receive, the week's assignments (today's roster and the
    week's workload) and the open batches. Lists are cut at `limit`, with their counts.
    """
    now = clock.now()
    local = timezone.localtime(now)
    ward = working_ward(user)
    ward_id = ward.pk
    limit_at = due_soon_limit(now, ward.city_id)
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


def _workload(workers: Sequence[User], assignments: list[Assignment]) -> list[WorkloadRow]:
    """Shifts per worker and task type, from the week's assignments already read."""
    per_worker: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(TaskType.values, 0))
    for assignment in assignments:
        per_worker[assignment.worker_id][assignment.task_type] += 1
    return [
        WorkloadRow(
            worker=w,
            tasks=per_worker[w.pk],
            total=sum(per_worker[w.pk].values()),
            grants=getattr(w, "grants", 0),  # annotated by chief_dashboard
        )
        for w in workers
    ]
