"""The Mẫu 06 logbook of a long period made in the background: asked for on the logbook page,
made by the database backend's worker with its progress, fetched by its requester."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from intake.models import PersonalDataAccess
from onestop.models import BackgroundTask, ExportFile
from tests.intake.factories import DossierFactory
from tests.onestop.tasks_for_tests import drain
from tests.reports.scenario import at

pytestmark = pytest.mark.django_db(transaction=True)

YEAR = "?period=year&year=2026"


def _book(world, count=30):
    for i in range(count):
        DossierFactory(ward=world.ward, received_at=at(1 + i % 28, 3))
    DossierFactory(ward=world.other_ward, received_at=at(2, 3))


def test_the_logbook_of_a_year_is_made_in_the_background_and_fetched(client, world, settings):
    settings.INTAKE_RULES = []
    _book(world)
    client.force_login(world.chief)
    page = client.get(reverse("reports:logbook", args=["phuhoa"]) + YEAR).content.decode()
    assert 'data-testid="logbook-export"' in page

    response = client.post(reverse("reports:logbook-export", args=["phuhoa"]) + YEAR)
    record = BackgroundTask.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("task", args=[record.pk])
    assert (record.state, record.requested_by, record.city) == ("queued", world.chief, world.city)
    assert PersonalDataAccess.objects.filter(export="reports:logbook-export").count() == 1
    # A second click while it waits: the same task, not a second file.
    client.post(reverse("reports:logbook-export", args=["phuhoa"]) + YEAR)
    assert BackgroundTask.objects.count() == 1

    progress = client.get(reverse("task-progress", args=[record.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in progress

    drain()
    record.refresh_from_db()
    assert record.state == "done"
    assert (record.progress_done, record.progress_total) == (30, 30)
    assert record.result["rows"] == 30
    done = client.get(reverse("task", args=[record.pk])).content.decode()
    assert 'data-testid="task-file"' in done
    assert "hx-trigger" not in done

    response = client.get(reverse("task-file", args=[record.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('"so-theo-doi-phuhoa-20260101-20261231.xlsx"')
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "SỔ THEO DÕI HỒ SƠ"
    assert len(rows) == 7 + 30
    assert ExportFile.objects.count() == 1

    # Asked again once done: a new book, with the dossiers as they are then.
    client.post(reverse("reports:logbook-export", args=["phuhoa"]) + YEAR)
    assert BackgroundTask.objects.count() == 2


def test_others_can_neither_ask_for_nor_fetch_the_book(client, world, settings):
    settings.INTAKE_RULES = []
    _book(world, count=2)
    client.force_login(world.other_chief)
    assert client.post(reverse("reports:logbook-export", args=["phuhoa"]) + YEAR).status_code == 404
    client.force_login(world.postal_worker)
    assert client.post(reverse("reports:logbook-export", args=["phuhoa"]) + YEAR).status_code == 404
    assert not BackgroundTask.objects.exists()
    client.force_login(world.chief)
    assert client.get(reverse("reports:logbook-export", args=["phuhoa"]) + YEAR).status_code == 405


def test_a_long_book_asked_for_directly_goes_to_the_background(client, world, settings):
    settings.INTAKE_RULES = []
    settings.EXPORT_SYNC_MAX_ROWS = 5
    _book(world, count=6)
    client.force_login(world.chief)
    response = client.get(reverse("reports:logbook-xlsx", args=["phuhoa"]) + YEAR)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("reports:logbook", args=["phuhoa"]))
    page = client.get(response["Location"]).content.decode()
    assert "chế độ nền" in page
    settings.EXPORT_SYNC_MAX_ROWS = 6
    response = client.get(reverse("reports:logbook-xlsx", args=["phuhoa"]) + YEAR)
    assert response.status_code == 200
