"""The city admin reads the city report in Chromium, opens a figure's dossiers, gets the Excel."""

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.onestop.factories import PASSWORD
from tests.reports.scenario import EXPECTED_MARCH_ROW, build_march

pytestmark = pytest.mark.browser


@pytest.fixture
def march(world, settings):
    settings.INTAKE_RULES = []
    return build_march(world)


def test_city_admin_follows_a_figure_and_downloads_the_excel(page, log_in, live_server, march):
    log_in("admin.thudaumot", PASSWORD)
    page.get_by_role("link", name="Báo cáo").first.click()
    expect(page.get_by_role("heading", name=re.compile("Báo cáo các phường"))).to_be_visible()
    page.get_by_label("Kỳ báo cáo", exact=True).select_option("month")
    page.get_by_label("Năm", exact=True).fill("2026")
    page.get_by_label("Tháng", exact=True).select_option("3")
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_test_id("period-label")).to_contain_text("Tháng 3/2026")
    expect(page.get_by_test_id("chart-on-time").locator("svg")).to_be_visible()

    row = page.locator('[data-testid="bieu06-table"] tr[data-ward="phuhoa"]')
    overdue = row.locator('a[data-figure="pending_overdue"]')
    expect(overdue).to_have_text(str(EXPECTED_MARCH_ROW["pending_overdue"]))
    overdue.click()
    expect(page).to_have_url(re.compile(r"/ho-so/\?.*open_on=31%2F03%2F2026"))
    expect(page.get_by_test_id("report-filters")).to_contain_text("31/03/2026")
    listed = page.get_by_test_id("dossier-table").locator("tbody tr")
    expect(listed).to_have_count(EXPECTED_MARCH_ROW["pending_overdue"])
    for name in "EM":
        expect(page.get_by_test_id("dossier-table")).to_contain_text(march.dossiers[name].code)

    page.go_back()
    with page.expect_download() as download_info:
        page.get_by_test_id("bieu06-xlsx").click()
    download = download_info.value
    assert download.suggested_filename == "bieu-06-thanh-pho-20260301-20260331.xlsx"
    sheet = load_workbook(io.BytesIO(open(download.path(), "rb").read())).active  # noqa: SIM115
    phuhoa = next(r for r in sheet.iter_rows(values_only=True) if r[1] == "Phường Phú Hòa")
    assert phuhoa[2] == EXPECTED_MARCH_ROW["total"]
    assert phuhoa[12] == EXPECTED_MARCH_ROW["pending_overdue"]
