"""Writes of the reports app: asking for a report file to be made in the background."""

from __future__ import annotations

import uuid

from django.db import transaction

from onestop.models import BackgroundTask, User
from onestop.tasks import UNFINISHED, task_enqueue
from reports.periods import Period
from reports.tasks import logbook_export, period_arguments
from wards.models import Ward


@transaction.atomic
def logbook_export_request(
    *, user: User, ward: Ward, period: Period, language: str
) -> BackgroundTask:
    """Ask for the logbook of `ward` (from `report_ward`, the caller's scope) over `period`.

    The same person asking again for the same book while it is still being made gets that
    task back (a double click makes one file); once it is done, asking again makes a new one
    with the dossiers as they are then.
    """
    arguments = period_arguments(period)
    prefix = f"reports.logbook:{user.pk}:{ward.pk}:{arguments['first']}:{arguments['last']}:"
    waiting = (
        BackgroundTask.objects.filter(key__startswith=prefix, state__in=UNFINISHED)
        .order_by("-created_at")
        .first()
    )
    if waiting is not None:
        return waiting
    return task_enqueue(
        logbook_export,
        key=f"{prefix}{uuid.uuid4().hex}",
        subject=f"{ward} – {period.label()}",
        requested_by=user,
        city_id=ward.city_id,
        ward=ward.slug,
        period=arguments,
        language=language,
    )
