"""The demo roster of the pilot wards: the weekly plan of the postal workers' shifts, and five
weeks of it written with the change log (one shift cancelled on a sick day)."""

import datetime as dt

from demo.seed.common import local_moment
from onestop import clock
from postal.models import Assignment, AssignmentChange, TaskType
from postal.services import assignment_cancel

WEEKS = 5  # the current week and the four before it


def week_plan(day_index: int, week_index: int) -> dict:
    """Who does what in each shift of one day: {(worker index, shift): task}."""
    out_of_list_day = (week_index + 1) % 5
    return {
        (0, "morning"): TaskType.INTAKE,
        (0, "afternoon"): (
            TaskType.OUT_OF_LIST_INTAKE if day_index == out_of_list_day else TaskType.INTAKE
        ),
        (1, "morning"): TaskType.GUIDANCE if day_index % 2 == 0 else TaskType.DATA_ENTRY,
        (1, "afternoon"): TaskType.RESULT_RETURN if day_index % 2 == 0 else TaskType.DATA_ENTRY,
    }


COUNTER_TASK_VALUES = {TaskType.INTAKE, TaskType.RESULT_RETURN, TaskType.OUT_OF_LIST_INTAKE}


def roster_weeks(ward, chief, workers, counter, this_monday, cal, now) -> list[Assignment]:
    """Five weeks of shifts, written at once (the constraints still check every row); the
    chief planned each week on the Friday before it."""
    planned = []
    for week_index in range(WEEKS):
        monday = this_monday - dt.timedelta(weeks=WEEKS - 1 - week_index)
        planned_at = min(local_moment(monday - dt.timedelta(days=3), 16, 0), now)
        for day_index in range(5):
            day = monday + dt.timedelta(days=day_index)
            if not cal.is_working_day(day):
                continue
            for (who, shift), task in week_plan(day_index, week_index).items():
                if who >= len(workers):
                    continue
                planned.append(
                    Assignment(
                        ward=ward,
                        worker=workers[who],
                        date=day,
                        shift=shift,
                        task_type=task,
                        counter=counter if task in COUNTER_TASK_VALUES else None,
                        assigned_by=chief,
                        created_at=planned_at,
                        updated_at=planned_at,
                    )
                )
    made = Assignment.objects.bulk_create(planned)
    AssignmentChange.objects.bulk_create(
        AssignmentChange(
            assignment=a,
            at=a.created_at,
            actor=chief,
            action=AssignmentChange.Action.CREATED,
            after=a.snapshot(),
        )
        for a in made
    )
    # A sick day two weeks ago: the second worker's Wednesday morning, cancelled that morning.
    sick_day = this_monday - dt.timedelta(weeks=2) + dt.timedelta(days=2)
    sick = next(
        (
            a
            for a in made
            if a.date == sick_day and a.shift == "morning" and a.worker_id == workers[-1].pk
        ),
        None,
    )
    if len(workers) > 1 and sick is not None:
        with clock.frozen_at(local_moment(sick_day, 7, 15)):
            assignment_cancel(user=chief, assignment_id=sick.pk, note="Nghỉ ốm, có giấy xin phép")
        made.remove(sick)
    return made
