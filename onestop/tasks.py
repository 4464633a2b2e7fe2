"""Work off the request on Django's task framework, done once, retried when it is worth it.

`background()` makes a function a task of `django.tasks` (whichever backend `settings.TASKS`
names: nothing here knows which) whose first argument is the work's key. `task_enqueue()`
records the work under that key (a `BackgroundTask` row) and hands it to the queue when the
transaction commits, so a step that rolls back enqueues nothing.

Each run claims the row under a lock: work already done is not done again (its stored result is
returned), work another worker is running is left to it, and anything else runs as the next
attempt (a `TaskAttempt` row). A run that raises `TemporaryFailure` is enqueued again after an
exponential backoff (TASK_RETRY_SECONDS, doubled each time, at most TASK_RETRY_MAX_SECONDS) until
TASK_ATTEMPTS attempts; any other exception, or the last attempt, fails the work with its reason.
The work's own writes go inside `run.finishing()`, in the same transaction as the mark "done",
so a retried or re-enqueued task never writes twice.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.module_loading import import_string

from onestop.models import BackgroundTask, ExportFile, TaskAttempt, User

logger = logging.getLogger(__name__)

State = BackgroundTask.State
UNFINISHED = (State.QUEUED, State.RUNNING, State.RETRYING)
# Progress is written at most this often, so a long loop does not become a stream of writes.
PROGRESS_EVERY_SECONDS = 0.5
# Each kind of task, by its dotted path, with the words the tasks page shows for it.
KINDS: dict[str, Any] = {}


class TemporaryFailure(Exception):
    """The work may succeed later (a gateway that timed out or answered 5xx, a busy database):
    raise it (or a subclass) to have the task tried again after a backoff."""


class _AlreadyDone(Exception):
    def __init__(self, result: dict):
        super().__init__("already done")
        self.result = result


def backoff(attempt: int) -> dt.timedelta:
    """How long to wait after failed attempt number `attempt` (1, 2, …): doubled each time."""
    seconds = settings.TASK_RETRY_SECONDS * 2 ** max(attempt - 1, 0)
    return dt.timedelta(seconds=min(seconds, settings.TASK_RETRY_MAX_SECONDS))


def _reason(error: BaseException) -> str:
    text = str(error).strip()
    name = type(error).__name__
    return f"{name}: {text}"[:2000] if text else name


class Run:
    """What a task's function receives: its record, progress reporting, and the place for its
    writes (`finishing`)."""

    def __init__(self, record: BackgroundTask, attempt: TaskAttempt):
        self.record = record
        self.attempt = attempt
        self.finished = False
        self.result: dict = {}
        self._reported_at = 0.0

    @property
    def requested_by(self) -> User | None:
        return self.record.requested_by

    def progress(self, done: int, total: int | None = None, *, force: bool = False) -> None:
        """Report `done` of `total` units (written at most every half second unless `force`)."""
        moment = time.monotonic()
        if not force and moment - self._reported_at < PROGRESS_EVERY_SECONDS:
            return
        self._reported_at = moment
        fields = {"progress_done": done}
        if total is not None:
            fields["progress_total"] = total
            self.record.progress_total = total
        self.record.progress_done = done
        BackgroundTask.objects.filter(pk=self.record.pk).update(**fields)

    @contextmanager
    def finishing(self) -> Iterator[dict]:
        """One transaction for the work's writes and its mark "done".

        Yields the result dict to fill. If another run finished the same work in the meantime,
        nothing inside is kept: the task returns that run's result.
        """
        with transaction.atomic():
            record = BackgroundTask.objects.select_for_update().get(pk=self.record.pk)
            if record.state == State.DONE:
                raise _AlreadyDone(record.result)
            yield self.result
            _mark_done(record, self.attempt, self.result)
        self.record = record
        self.finished = True


def _mark_done(record: BackgroundTask, attempt: TaskAttempt, result: dict) -> None:
    now = timezone.now()
    record.state = State.DONE
    record.result = result
    record.finished_at = now
    record.error = ""
    record.progress_done = max(record.progress_done, record.progress_total)
    record.save(update_fields=["state", "result", "finished_at", "error", "progress_done"])
    attempt.outcome = TaskAttempt.Outcome.DONE
    attempt.finished_at = now
    attempt.save(update_fields=["outcome", "finished_at"])


def _claim(key: str) -> tuple[BackgroundTask | None, TaskAttempt | None, dict | None]:
    """Lock the record and open the next attempt; or say why this run has nothing to do."""
    now = timezone.now()
    with transaction.atomic():
        record = (
            BackgroundTask.objects.select_for_update(of=("self",))
            .select_related("requested_by")
            .filter(key=key)
            .first()
        )
        if record is None:
            logger.warning("Background task %s has no record: nothing to run", key)
            return None, None, None
        if record.state == State.DONE:
            return None, None, record.result
        if record.state == State.FAILED:
            return None, None, None
        lease = dt.timedelta(minutes=settings.TASK_LEASE_MINUTES)
        if record.state == State.RUNNING and record.started_at and record.started_at > now - lease:
            # Enqueued twice: the other run has it.
            return None, None, None
        record.state = State.RUNNING
        record.attempts += 1
        record.started_at = now
        record.next_attempt_at = None
        record.save(update_fields=["state", "attempts", "started_at", "next_attempt_at"])
        attempt = TaskAttempt.objects.create(task=record, number=record.attempts, started_at=now)
    return record, attempt, None


def _fail(record: BackgroundTask, attempt: TaskAttempt, error: BaseException) -> None:
    now = timezone.now()
    with transaction.atomic():
        BackgroundTask.objects.filter(pk=record.pk).update(
            state=State.FAILED, error=_reason(error), finished_at=now
        )
        TaskAttempt.objects.filter(pk=attempt.pk).update(
            outcome=TaskAttempt.Outcome.FAILED, error=_reason(error), finished_at=now
        )


def _retry_later(record: BackgroundTask, attempt: TaskAttempt, error: BaseException, kwargs):
    now = timezone.now()
    when = now + backoff(record.attempts)
    with transaction.atomic():
        BackgroundTask.objects.filter(pk=record.pk).update(
            state=State.RETRYING, error=_reason(error), next_attempt_at=when
        )
        TaskAttempt.objects.filter(pk=attempt.pk).update(
            outcome=TaskAttempt.Outcome.RETRY, error=_reason(error), finished_at=now
        )
        transaction.on_commit(
            functools.partial(_send, record.pk, record.task_path, record.key, kwargs, when)
        )


def _execute(func: Callable, key: str, kwargs: dict) -> dict | None:
    record, attempt, stored = _claim(key)
    if record is None or attempt is None:
        return stored
    run = Run(record, attempt)
    try:
        value = func(run, **kwargs)
    except _AlreadyDone as done:
        TaskAttempt.objects.filter(pk=attempt.pk).update(
            outcome=TaskAttempt.Outcome.DONE, finished_at=timezone.now()
        )
        return done.result
    except TemporaryFailure as error:
        if record.attempts >= record.max_attempts:
            _fail(record, attempt, error)
        else:
            _retry_later(record, attempt, error, kwargs)
        # Raised again, so the backend's own result for this attempt says it failed, and why.
        raise
    except Exception as error:
        _fail(record, attempt, error)
        raise
    if not run.finished:
        with run.finishing() as result:
            result.update(value or {})
    return run.result


def background(*, label: Any, queue_name: str = "default"):
    """Make `func(run, **kwargs)` a keyed, retried task; `label` names its kind for people.

    The task is enqueued through `task_enqueue`, never directly, so that it has a record.
    """

    def decorate(func: Callable):
        @functools.wraps(func)
        def runner(key: str, **kwargs):
            return _execute(func, key, kwargs)

        made = task(queue_name=queue_name)(runner)
        KINDS[made.module_path] = label
        return made

    return decorate


def _send(pk, task_path: str, key: str, kwargs: dict, run_after: dt.datetime | None = None):
    """Hand the work to the queue; a queue that cannot be reached leaves the record waiting,
    with the reason, rather than failing the step that asked for it."""
    made = import_string(task_path)
    if run_after is not None:
        made = made.using(run_after=run_after)
    try:
        result = made.enqueue(key, **kwargs)
    except Exception as error:
        logger.exception("Could not enqueue background task %s", key)
        BackgroundTask.objects.filter(pk=pk).update(error=_reason(error))
        return
    BackgroundTask.objects.filter(pk=pk).update(backend_id=str(result.id)[:64])


def task_enqueue(
    made,
    *,
    key: str,
    subject: str = "",
    requested_by: User | None = None,
    city_id: int | None = None,
    **kwargs,
) -> BackgroundTask:
    """Record the work under `key` and enqueue it when the transaction commits.

    The same key again returns the record already made and enqueues nothing: the work is asked
    for once. `kwargs` must be JSON (ids, dates as text), as every backend stores them so.
    """
    record, created = BackgroundTask.objects.get_or_create(
        key=key,
        defaults={
            "task_path": made.module_path,
            "subject": subject[:200],
            "requested_by": requested_by,
            "city_id": city_id,
            "max_attempts": settings.TASK_ATTEMPTS,
            "created_at": timezone.now(),
        },
    )
    if created:
        transaction.on_commit(
            functools.partial(_send, record.pk, record.task_path, record.key, kwargs)
        )
    return record


def export_file_save(*, record: BackgroundTask, name: str, content: bytes, content_type: str):
    """Store the file a task made for its requester (inside `run.finishing()`).

    The stored name comes from the task, and a file left by an earlier attempt that did not
    finish is replaced, so one task keeps one file however often it ran.
    """
    now = timezone.now()
    extension = name.rpartition(".")[2] if "." in name else "bin"
    stored_name = f"exports/{record.pk}.{extension}"
    if default_storage.exists(stored_name):
        default_storage.delete(stored_name)
    stored = default_storage.save(stored_name, ContentFile(content))
    export, _created = ExportFile.objects.update_or_create(
        task=record,
        defaults={
            "name": name,
            "file": stored,
            "content_type": content_type,
            "size": len(content),
            "created_at": now,
            "expires_at": now + dt.timedelta(hours=settings.EXPORT_KEEP_HOURS),
            "removed_at": None,
        },
    )
    return export


def exports_prune(*, now: dt.datetime | None = None) -> int:
    """Remove the files past their time; the rows stay, marked removed. Returns how many."""
    now = now or timezone.now()
    count = 0
    expired = ExportFile.objects.filter(removed_at__isnull=True, expires_at__lte=now)
    for export in expired.iterator():
        if export.file and default_storage.exists(export.file.name):
            default_storage.delete(export.file.name)
        ExportFile.objects.filter(pk=export.pk).update(removed_at=now)
        count += 1
    return count
