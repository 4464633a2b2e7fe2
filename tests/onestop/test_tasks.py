"""Background work: keyed tasks done once, retried with backoff on a temporary failure, run by the
database backend's real worker (in this process and in a process of its own) and by RQ on the
local Redis."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.tasks import task_backends
from django.utils import timezone
from django.utils.connection import Local
from django_tasks_db.models import DBTaskResult

from onestop.models import BackgroundTask, ExportFile, TaskAttempt
from onestop.tasks import backoff, exports_prune, task_enqueue
from tests.onestop.tasks_for_tests import drain, flaky

PROJECT_ROOT = Path(__file__).resolve().parents[2]
State = BackgroundTask.State


def ask(key="thu:1", **kwargs) -> BackgroundTask:
    with transaction.atomic():
        return task_enqueue(flaky, key=key, subject="thử", **kwargs)


def make_due() -> None:
    """Bring every deferred task to now, as the clock would after the backoff."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


@pytest.mark.django_db(transaction=True)
def test_the_same_key_is_enqueued_once_and_a_rollback_enqueues_nothing():
    ask()
    ask()
    assert BackgroundTask.objects.count() == 1
    assert DBTaskResult.objects.count() == 1
    record = BackgroundTask.objects.get()
    assert record.backend_id == str(DBTaskResult.objects.get().id)

    with pytest.raises(RuntimeError), transaction.atomic():
        task_enqueue(flaky, key="thu:rolled-back")
        raise RuntimeError("the step failed")
    assert not BackgroundTask.objects.filter(key="thu:rolled-back").exists()
    assert DBTaskResult.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_run_twice_writes_one_file():
    record = ask()
    drain()
    record.refresh_from_db()
    assert record.state == State.DONE
    assert record.result == {"attempt": 1}
    # The same work handed to the queue again (a duplicate delivery, a manual re-enqueue).
    flaky.enqueue(record.key)
    drain()
    assert flaky.call(record.key) == {"attempt": 1}
    record.refresh_from_db()
    assert record.attempts == 1
    assert ExportFile.objects.count() == 1
    assert TaskAttempt.objects.filter(task=record).count() == 1
    _dirs, files = default_storage.listdir("exports")
    assert [name for name in files if name.startswith(str(record.pk))] == [f"{record.pk}.txt"]


@pytest.mark.django_db(transaction=True)
def test_a_lost_attempt_rewrites_its_file_instead_of_adding_one(settings):
    record = ask(failures=0)
    # An earlier attempt died after storing its file but before its transaction committed.
    default_storage.save(f"exports/{record.pk}.txt", ContentFile(b"half"))
    drain()
    export = ExportFile.objects.get()
    assert export.file.name == f"exports/{record.pk}.txt"
    assert export.file.read() == b"mot lan"


@pytest.mark.django_db(transaction=True)
def test_a_temporary_failure_is_retried_with_exponential_backoff(settings):
    settings.TASK_RETRY_SECONDS = 30
    record = ask(failures=2)
    before = timezone.now()
    drain()
    record.refresh_from_db()
    assert record.state == State.RETRYING
    assert record.attempts == 1
    assert "503 (lần 1)" in record.error
    assert before + dt.timedelta(seconds=29) < record.next_attempt_at
    assert record.next_attempt_at < timezone.now() + dt.timedelta(seconds=31)
    # Handed back to the backend, deferred until then; the first attempt is recorded failed.
    waiting = DBTaskResult.objects.get(status="READY")
    assert abs(waiting.run_after - record.next_attempt_at) < dt.timedelta(seconds=1)
    assert DBTaskResult.objects.filter(status="FAILED").count() == 1
    drain()  # not due yet: nothing runs
    record.refresh_from_db()
    assert record.attempts == 1

    make_due()
    drain()
    record.refresh_from_db()
    assert record.state == State.RETRYING
    assert record.attempts == 2
    # Twice as long after the second failure.
    second_wait = (
        record.next_attempt_at - TaskAttempt.objects.get(task=record, number=2).finished_at
    )
    assert dt.timedelta(seconds=59) < second_wait < dt.timedelta(seconds=61)

    make_due()
    drain()
    record.refresh_from_db()
    assert record.state == State.DONE
    assert record.result == {"attempt": 3}
    assert record.error == ""
    outcomes = list(TaskAttempt.objects.filter(task=record).values_list("number", "outcome"))
    assert outcomes == [(1, "retry"), (2, "retry"), (3, "done")]
    assert ExportFile.objects.count() == 1


def test_backoff_doubles_up_to_its_ceiling(settings):
    settings.TASK_RETRY_SECONDS = 10
    settings.TASK_RETRY_MAX_SECONDS = 60
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4, 5)] == [10, 20, 40, 60, 60]


@pytest.mark.django_db(transaction=True)
def test_the_last_attempt_and_a_lasting_error_fail_with_their_reason(settings):
    settings.TASK_ATTEMPTS = 2
    tired = ask("thu:tired", failures=5)
    broken = ask("thu:broken", permanent=True)
    drain()
    make_due()
    drain()
    tired.refresh_from_db()
    broken.refresh_from_db()
    assert (tired.state, tired.attempts) == (State.FAILED, 2)
    assert "503 (lần 2)" in tired.error
    assert (broken.state, broken.attempts) == (State.FAILED, 1)
    assert broken.error == "ValueError: dữ liệu đầu vào hỏng"
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert not ExportFile.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_task_another_worker_is_running_is_left_to_it():
    record = ask()
    BackgroundTask.objects.filter(pk=record.pk).update(
        state=State.RUNNING, started_at=timezone.now(), attempts=1
    )
    assert flaky.call(record.key) is None
    record.refresh_from_db()
    assert record.attempts == 1
    # A run that has been "running" past the lease lost its worker: the work runs again.
    BackgroundTask.objects.filter(pk=record.pk).update(
        started_at=timezone.now() - dt.timedelta(hours=2)
    )
    assert flaky.call(record.key) == {"attempt": 2}


@pytest.mark.django_db(transaction=True)
def test_files_past_their_time_are_removed_and_their_rows_kept():
    record = ask()
    drain()
    export = ExportFile.objects.get(task=record)
    out = io.StringIO()
    call_command("prune_exports", stdout=out)
    assert out.getvalue().startswith("0 file(s)")
    assert exports_prune() == 0
    assert exports_prune(now=export.expires_at + dt.timedelta(seconds=1)) == 1
    export.refresh_from_db()
    assert export.removed_at is not None
    assert not default_storage.exists(export.file.name)


# --- real workers ---------------------------------------------------------------------------


def _worker_env() -> dict[str, str]:
    settings_dict = connection.settings_dict
    url = (
        f"postgres://{settings_dict['USER']}:{settings_dict['PASSWORD'] or ''}"
        f"@{settings_dict['HOST'] or '127.0.0.1'}:{settings_dict['PORT'] or 5432}"
        f"/{settings_dict['NAME']}"
    )
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    env |= {
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        # The worker opens the test database itself (the suite's settings read this URL).
        "TEST_DATABASE_URL": url,
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    return env


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the worker process needs a database it can open too; run with TEST_DATABASE_URL",
)
def test_the_database_worker_process_drains_the_queue():
    # The first one fails once on the way.
    for n in range(3):
        ask(f"thu:process:{n}", failures=1 if n == 0 else 0)
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--batch",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0",
        ],
        cwd=PROJECT_ROOT,
        env=_worker_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    states = dict(BackgroundTask.objects.values_list("key", "state"))
    assert states == {
        "thu:process:0": State.RETRYING,
        "thu:process:1": State.DONE,
        "thu:process:2": State.DONE,
    }
    assert not DBTaskResult.objects.filter(status="RUNNING").exists()
    make_due()
    result = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload", "--no-startup-delay"],
        cwd=PROJECT_ROOT,
        env=_worker_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    first = BackgroundTask.objects.get(key="thu:process:0")
    assert (first.state, first.attempts, first.result) == (State.DONE, 2, {"attempt": 2})


@pytest.fixture
def rq_backend(settings):
    """The same tasks on RQ, against the Redis server of this machine (a database of its own)."""
    redis = pytest.importorskip("redis")
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {url}")
    settings.RQ_QUEUES = {"default": {"URL": url, "DEFAULT_TIMEOUT": 60}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}

    def reset():
        task_backends._settings = None
        task_backends.__dict__.pop("settings", None)
        task_backends._connections = Local(False)

    reset()
    import django_rq

    queue = django_rq.get_queue("default")
    # A Redis database of the suite's own (TEST_REDIS_URL): emptied before and after.
    queue.connection.flushdb()
    yield queue
    queue.connection.flushdb()
    reset()


@pytest.mark.django_db(transaction=True)
def test_rq_runs_the_same_task_once_and_defers_its_retry(rq_backend):
    import django_rq
    from django_tasks_rq import Job
    from rq import SimpleWorker
    from rq.registry import ScheduledJobRegistry

    done = ask("thu:rq:done")
    retried = ask("thu:rq:retried", failures=1)
    assert rq_backend.count == 2
    worker = SimpleWorker([rq_backend], connection=django_rq.get_connection(), job_class=Job)
    worker.work(burst=True)
    done.refresh_from_db()
    retried.refresh_from_db()
    assert (done.state, done.result) == (State.DONE, {"attempt": 1})
    assert rq_backend.fetch_job(done.backend_id).is_finished
    assert retried.state == State.RETRYING
    # The retry waits in RQ's scheduled registry until its backoff is over.
    scheduled = ScheduledJobRegistry(queue=rq_backend)
    assert scheduled.get_job_ids() == [retried.backend_id]
    # The finished job handed again to RQ: done already, nothing written twice.
    flaky.enqueue(done.key)
    worker.work(burst=True)
    assert ExportFile.objects.filter(task=done).count() == 1
    done.refresh_from_db()
    assert done.attempts == 1
