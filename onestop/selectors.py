"""Reads of the base layer that take the user: the background tasks and their files."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from onestop.models import BackgroundTask, ExportFile, Role, User

# A task still waiting after this long means no worker is taking work: the pages say so.
WAITING_TOO_LONG = dt.timedelta(minutes=1)


def may_read_tasks(user: User) -> bool:
    """The tasks page is the city admin's (and the technical administrator's)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.role == Role.CITY_ADMIN or (user.is_superuser and not user.role))
    )


def background_tasks_for_user(*, user: User) -> QuerySet[BackgroundTask]:
    """The tasks `user` may see on the tasks page, newest first: a city admin their city's and
    the system's own (which belong to no city); a technical administrator all; others none."""
    tasks = BackgroundTask.objects.select_related("requested_by", "city").order_by(
        "-created_at", "-id"
    )
    if not may_read_tasks(user):
        return tasks.none()
    if user.role == Role.CITY_ADMIN:
        return tasks.filter(Q(city_id=user.city_id) | Q(city__isnull=True))
    return tasks


def background_task_for_user(*, user: User, pk) -> BackgroundTask:
    """One task with its file, for its requester or whoever sees it on the tasks page;
    BackgroundTask.DoesNotExist (a 404) otherwise."""
    tasks = BackgroundTask.objects.select_related("file", "city")
    if not user.is_authenticated or not user.is_active:
        raise BackgroundTask.DoesNotExist
    mine = Q(requested_by=user)
    if user.role == Role.CITY_ADMIN:
        return tasks.filter(mine | Q(city_id=user.city_id) | Q(city__isnull=True)).get(pk=pk)
    if user.is_superuser and not user.role:
        return tasks.get(pk=pk)
    return tasks.filter(mine).get(pk=pk)


def export_file_for_user(*, user: User, pk, now: dt.datetime | None = None) -> ExportFile:
    """The file of task `pk` while it is kept, for those who may see the task; else
    ExportFile.DoesNotExist (a 404)."""
    record = background_task_for_user(user=user, pk=pk)
    now = now or timezone.now()
    export = getattr(record, "file", None)
    if export is None or export.removed_at is not None or export.expires_at <= now:
        raise ExportFile.DoesNotExist
    return export


def tasks_waiting_too_long(*, user: User, now: dt.datetime | None = None) -> bool:
    """Whether some task `user` sees has waited in the queue longer than a worker would let it."""
    now = now or timezone.now()
    return (
        background_tasks_for_user(user=user)
        .filter(state=BackgroundTask.State.QUEUED, created_at__lt=now - WAITING_TOO_LONG)
        .exists()
    )
