"""The city admin's tasks page, one task's progress page, and who may fetch the file it made."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from onestop.models import BackgroundTask, ExportFile
from onestop.navigation import entries_for

pytestmark = pytest.mark.django_db
State = BackgroundTask.State
TASKS = reverse("tasks")
_numbers = itertools.count()


def make_task(*, by=None, city=None, state=State.DONE, file=False, **fields) -> BackgroundTask:
    now = timezone.now()
    record = BackgroundTask.objects.create(
        key=f"test:{next(_numbers)}",
        task_path="reports.tasks.logbook_export",
        subject=fields.pop("subject", "Phú Hòa – Năm 2025"),
        requested_by=by,
        city=city,
        state=state,
        max_attempts=5,
        attempts=fields.pop("attempts", 1),
        created_at=fields.pop("created_at", now),
        **fields,
    )
    if file:
        export = ExportFile(
            task=record,
            name="so-theo-doi.xlsx",
            content_type="application/vnd.ms-excel",
            size=4,
            created_at=now,
            expires_at=now + dt.timedelta(hours=24),
        )
        export.file.save(f"{record.pk}.xlsx", ContentFile(b"xlsx"), save=False)
        export.save()
    return record


@pytest.mark.parametrize(
    ("role", "status"),
    [("postal_worker", 404), ("officer", 404), ("chief", 404), ("city_admin", 200)],
)
def test_the_tasks_page_is_the_city_admins_alone(client, world, role, status):
    client.force_login(getattr(world, role))
    assert client.get(TASKS).status_code == status
    listed = any(item["url"] == TASKS for item in entries_for(getattr(world, role), "/"))
    assert listed is (role == "city_admin")


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(TASKS)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_page_shows_each_state_with_the_failure_reason_and_only_its_city(client, world):
    make_task(by=world.chief, city=world.city, state=State.QUEUED, subject="sổ chờ")
    make_task(
        by=world.chief, city=world.city, state=State.RUNNING, progress_done=5, progress_total=10
    )
    make_task(
        by=world.chief,
        city=world.city,
        state=State.RETRYING,
        attempts=2,
        error="TemporaryFailure: cổng trả lời 503",
        next_attempt_at=timezone.now() + dt.timedelta(minutes=1),
    )
    make_task(by=world.chief, city=world.city, state=State.FAILED, error="ValueError: hỏng")
    make_task(by=world.chief, city=world.city, state=State.DONE)
    make_task(city=None, state=State.DONE, subject="việc của hệ thống")
    make_task(by=world.other_city_admin, city=world.other_city, subject="Dĩ An – riêng")
    client.force_login(world.city_admin)
    html = client.get(TASKS).content.decode()
    for state in ("queued", "running", "retrying", "failed", "done"):
        assert f'data-state="{state}"' in html
    assert "ValueError: hỏng" in html
    assert "TemporaryFailure: cổng trả lời 503" in html
    assert "2/5" in html  # attempts of the retried one
    assert "50%" in html
    assert "việc của hệ thống" in html
    assert "Dĩ An – riêng" not in html

    failed = client.get(TASKS, {"trang_thai": "failed"}).content.decode()
    assert failed.count("<tr data-state=") == 1
    assert "ValueError: hỏng" in failed
    # An unknown filter is no filter, never an error.
    assert client.get(TASKS, {"trang_thai": "x' OR 1=1", "loai": "?"}).status_code == 200


def test_the_page_says_when_work_waits_for_a_worker(client, world):
    client.force_login(world.city_admin)
    make_task(by=world.chief, city=world.city, state=State.QUEUED)
    assert 'data-testid="tasks-waiting"' not in client.get(TASKS).content.decode()
    make_task(
        by=world.chief,
        city=world.city,
        state=State.QUEUED,
        created_at=timezone.now() - dt.timedelta(minutes=5),
    )
    assert 'data-testid="tasks-waiting"' in client.get(TASKS).content.decode()


def test_the_tasks_page_reads_in_constant_queries_and_pages(client, world):
    client.force_login(world.city_admin)
    for _ in range(3):
        make_task(by=world.chief, city=world.city, file=True)
    client.get(TASKS)
    with CaptureQueriesContext(connection) as few:
        client.get(TASKS)
    requesters = [world.chief, world.other_chief, world.postal_worker, world.officer]
    for n in range(60):
        make_task(by=requesters[n % 4], city=world.city, state=State.FAILED, error=f"lỗi {n}")
    with CaptureQueriesContext(connection) as many:
        first = client.get(TASKS).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    assert first.count("<tr data-state=") == 50
    assert 'rel="next"' in first
    second = client.get(TASKS, {"page": 2}).content.decode()
    assert second.count("<tr data-state=") == 13
    assert 'rel="next"' not in second


def test_the_file_goes_to_its_requester_and_the_city_admin_only(client, world):
    record = make_task(by=world.chief, city=world.city, file=True)
    url = reverse("task-file", args=[record.pk])
    for user, status in [
        (world.chief, 200),
        (world.city_admin, 200),
        (world.other_chief, 404),
        (world.postal_worker, 404),
        (world.officer, 404),
        (world.other_city_admin, 404),
    ]:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status, user
        if status == 200:
            assert b"".join(response.streaming_content) == b"xlsx"
            assert 'filename="so-theo-doi.xlsx"' in response["Content-Disposition"]
        assert client.get(reverse("task", args=[record.pk])).status_code == status


def test_a_file_past_its_time_is_gone(client, world):
    record = make_task(by=world.chief, city=world.city, file=True)
    client.force_login(world.chief)
    ExportFile.objects.filter(task=record).update(expires_at=timezone.now())
    assert client.get(reverse("task-file", args=[record.pk])).status_code == 404
    page = client.get(reverse("task", args=[record.pk])).content.decode()
    assert "hết thời hạn lưu giữ" in page


def test_the_progress_bar_polls_until_the_task_ends(client, world):
    record = make_task(by=world.chief, city=world.city, state=State.RUNNING, progress_total=200)
    BackgroundTask.objects.filter(pk=record.pk).update(progress_done=50)
    client.force_login(world.chief)
    url = reverse("task-progress", args=[record.pk])
    running = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in running
    assert 'value="25"' in running
    assert "50/200" in running
    BackgroundTask.objects.filter(pk=record.pk).update(state=State.FAILED, error="ValueError: x")
    failed = client.get(url).content.decode()
    assert "hx-trigger" not in failed
    assert "ValueError: x" in failed
    client.force_login(world.other_chief)
    assert client.get(url).status_code == 404
