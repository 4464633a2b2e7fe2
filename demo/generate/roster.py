"""The post's roster in a generated history: the demo's weekly plan (`demo.seed.roster`) on
every past working day of the pilot wards that has none, with the change log's lines.

Each shift gets the change log's "created" line, and now and then a second worker's shift is
cancelled that morning (a sick day). The worker on intake in a shift is the one the generator has
receive that shift's dossiers at the postal counter (`on_duty`).
"""

import datetime as dt
import io
from random import Random

from django.db import connection

from demo.generate.dossiers import DossierGenerator
from demo.generate.writers import NULL
from demo.seed.common import chief_and_postal_workers, local_moment, postal_counter
from demo.seed.roster import COUNTER_TASK_VALUES, WEEKS, week_plan
from postal.models import Assignment, AssignmentChange, PostalWorkerProfile, TaskType

SICK_SHARE = 0.01  # of the second worker's shifts, cancelled that morning
SICK_NOTE = "Nghỉ ốm, có giấy xin phép"
INTAKE_TASKS = (TaskType.INTAKE, TaskType.OUT_OF_LIST_INTAKE)
ASSIGNMENT_COLUMNS = (
    "id", "ward_id", "worker_id", "date", "shift", "task_type", "counter_id", "note",
    "assigned_by_id", "created_at", "updated_at", "cancelled_at", "cancelled_by_id",
    "cancel_note",
)  # fmt: skip
CHANGE_COLUMNS = ("assignment_id", "at", "actor_id", "action", "before", "after", "note")


class _Isoformat(dict):
    """isoformat() of dates and datetimes, each computed once (a week shares its planning)."""

    def __call__(self, value) -> str:
        text = self.get(value)
        if text is None:
            text = self[value] = value.isoformat()
        return text


def roster_plan(generator: DossierGenerator) -> list[tuple]:
    """The demo's weekly plan on the past working days that have none; fills on_duty.

    Rows: (ward, worker, date, shift, task, counter, chief, planned at, cancelled at).
    """
    today = generator.today
    this_monday = today - dt.timedelta(days=today.weekday())
    first = generator.start.date()
    planned = []
    for ward in generator.wards:
        if not ward.is_pilot:
            continue
        chief, workers = chief_and_postal_workers(ward)
        counter = postal_counter(ward)
        if chief is None or not workers or counter is None:
            continue
        start = max(first, ward.pilot_started_on or first)
        generator.rostered.add(ward.pk)
        # Shifts already planned, cancelled ones too: a day is planned once.
        taken = set()
        for worker_id, role, day, shift, task, cancelled in Assignment.objects.filter(
            ward=ward, date__gte=start, date__lt=today
        ).values_list("worker_id", "worker__role", "date", "shift", "task_type", "cancelled_at"):
            taken.add((worker_id, day, shift))
            if task in INTAKE_TASKS and cancelled is None:
                key = (ward.pk, day.toordinal(), 0 if shift == "morning" else 1)
                generator.on_duty[key] = (worker_id, role)
        since = {
            p.user_id: p.in_ward_since
            for p in PostalWorkerProfile.objects.filter(user__in=workers)
            if p.in_ward_since
        }
        people = [(w.pk, w.role) for w in workers]
        clock = generator.clocks[ward.city_id]
        rng = Random(f"onestop-generator:{generator.seed}:roster:{ward.admin_code}")
        day = start
        while day < today:
            # Every working day, the make-up Saturdays too: the counter is open then.
            if clock.is_working_day(day.toordinal()):
                monday = day - dt.timedelta(days=day.weekday())
                week_index = WEEKS - 1 - (this_monday - monday).days // 7
                planned_at = min(local_moment(monday - dt.timedelta(days=3), 16, 0), generator.now)
                for (who, shift), task in week_plan(day.weekday(), week_index).items():
                    if who >= len(workers):
                        continue
                    worker = people[who]
                    if day < since.get(worker[0], start) or (worker[0], day, shift) in taken:
                        continue
                    cancelled = None
                    if who > 0 and rng.random() < SICK_SHARE:
                        cancelled = local_moment(day, 7, 15)
                    elif task in INTAKE_TASKS:
                        key = (ward.pk, day.toordinal(), 0 if shift == "morning" else 1)
                        generator.on_duty[key] = worker
                    counter_id = counter.pk if task in COUNTER_TASK_VALUES else None
                    planned.append(
                        (ward.pk, worker[0], day, shift, task.value, counter_id, chief.pk,
                         planned_at, cancelled)
                    )  # fmt: skip
            day += dt.timedelta(days=1)
    return planned


def _snapshot(row) -> dict:
    """Assignment.snapshot() of a planned row."""
    _ward, worker, day, shift, task, counter, _chief, _at, _cancelled = row
    return {
        "worker": worker,
        "date": day.isoformat(),
        "shift": shift,
        "task_type": task,
        "counter": counter,
        "note": "",
    }


def roster_create(planned: list[tuple]) -> None:
    made = Assignment.objects.bulk_create(
        [
            Assignment(
                ward_id=ward, worker_id=worker, date=day, shift=shift, task_type=task,
                counter_id=counter, assigned_by_id=chief, created_at=at,
                updated_at=cancelled or at, cancelled_at=cancelled,
                cancelled_by_id=chief if cancelled else None,
                cancel_note=SICK_NOTE if cancelled else "",
            )
            for ward, worker, day, shift, task, counter, chief, at, cancelled
            in planned
        ],
        batch_size=2000,
    )  # fmt: skip
    changes = []
    for assignment, row in zip(made, planned, strict=True):
        snapshot = _snapshot(row)
        changes.append(
            AssignmentChange(
                assignment=assignment, at=assignment.created_at, actor_id=row[6],
                action=AssignmentChange.Action.CREATED, after=snapshot,
            )
        )  # fmt: skip
        if assignment.cancelled_at is not None:
            changes.append(
                AssignmentChange(
                    assignment=assignment, at=assignment.cancelled_at, actor_id=row[6],
                    action=AssignmentChange.Action.CANCELLED, before=snapshot, note=SICK_NOTE,
                )
            )  # fmt: skip
    AssignmentChange.objects.bulk_create(changes, batch_size=2000)


def roster_copy(planned: list[tuple]) -> None:
    """The same rows by COPY: ids reserved from the table's sequence first, so the change
    log can point to them."""
    if not planned:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('postal_assignment', 'id')) "
            "FROM generate_series(1, %s)",
            [len(planned)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        assignments, changes = [], []
        text = _Isoformat()
        for pk, row in zip(ids, planned, strict=True):
            ward, worker, day, shift, task, counter, chief, at, cancelled = row
            # Assignment.snapshot() as JSON (json.dumps writes the same).
            snapshot = (
                f'{{"worker": {worker}, "date": "{text(day)}", "shift": "{shift}", '
                f'"task_type": "{task}", "counter": {"null" if counter is None else counter}, '
                f'"note": ""}}'
            )
            counter_cell = NULL if counter is None else counter
            if cancelled is None:
                tail = f"{text(at)}\t{NULL}\t{NULL}\t"
            else:
                tail = f"{text(cancelled)}\t{text(cancelled)}\t{chief}\t{SICK_NOTE}"
                changes.append(
                    f"{pk}\t{text(cancelled)}\t{chief}\tcancelled\t{snapshot}\t{{}}\t{SICK_NOTE}\n"
                )
            assignments.append(
                f"{pk}\t{ward}\t{worker}\t{text(day)}\t{shift}\t{task}\t{counter_cell}\t"
                f"\t{chief}\t{text(at)}\t{tail}\n"
            )
            changes.append(f"{pk}\t{text(at)}\t{chief}\tcreated\t{{}}\t{snapshot}\t\n")
        for table, columns, lines in (
            ("postal_assignment", ASSIGNMENT_COLUMNS, assignments),
            ("postal_assignmentchange", CHANGE_COLUMNS, changes),
        ):
            cursor.copy_expert(
                f"COPY {table} ({', '.join(columns)}) FROM STDIN",
                io.BytesIO("".join(lines).encode()),
                1 << 20,
            )
