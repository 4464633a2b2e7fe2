"""A chief asks for a year's logbook in Chromium, watches its progress bar, downloads the file."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from onestop.models import BackgroundTask
from tests.intake.factories import DossierFactory
from tests.onestop.factories import PASSWORD
from tests.onestop.tasks_for_tests import drain
from tests.reports.scenario import at

pytestmark = pytest.mark.browser


def test_a_years_logbook_follows_its_progress_bar_to_the_download(page, log_in, world, settings):
    settings.INTAKE_RULES = []
    for i in range(40):
        DossierFactory(ward=world.ward, received_at=at(1 + i % 28, 1 + i % 12))
    log_in("chief.phuhoa", PASSWORD)
    page.goto("/bao-cao/phuong/phuhoa/so-theo-doi/?period=year&year=2026")
    page.get_by_test_id("logbook-export").click()

    progress = page.get_by_test_id("task-progress")
    expect(progress).to_have_attribute("data-state", "queued")
    expect(progress.locator("progress")).to_be_visible()
    assert BackgroundTask.objects.get().progress_total == 0

    drain()  # the worker: the page follows it by itself, without a reload
    expect(progress).to_have_attribute("data-state", "done", timeout=15_000)
    expect(progress.locator("progress")).to_have_attribute("value", "100")
    expect(progress).to_contain_text("40/40")
    with page.expect_download() as download_info:
        page.get_by_test_id("task-file").click()
    download = download_info.value
    assert download.suggested_filename == "so-theo-doi-phuhoa-20260101-20261231.xlsx"
    with open(download.path(), "rb") as file:
        rows = list(load_workbook(io.BytesIO(file.read())).active.iter_rows(values_only=True))
    assert len(rows) == 7 + 40
