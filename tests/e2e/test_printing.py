"""Printed pages in Chromium: the roster with a cell left open in the editor, and the Mẫu 06
logbook on A4 landscape, dense, its codes on one line, in the printed forms' one font."""

import datetime as dt
import re
import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from intake.models import Dossier
from postal.models import TaskType
from tests.intake.factories import DossierFactory, ProcedureFactory
from tests.onestop.factories import PASSWORD, UserFactory
from tests.postal.factories import AssignmentFactory, next_monday
from tests.wards.factories import CityFactory, CounterFactory, WardFactory
from wards.calendar import VIETNAM_TZ

pytestmark = pytest.mark.browser

PRINT_FONT = '"Be Vietnam Pro", "Noto Sans", "DejaVu Sans", sans-serif'


@pytest.fixture
def office(transactional_db):
    city = CityFactory(name="Thủ Dầu Một", slug="thudaumot", code="718")
    ward = WardFactory(city=city, name="Phú Hòa", slug="phuhoa", unit_identifier="000.00.12.H13")
    chief = UserFactory(username="chief.phuhoa", chief=True, ward=ward)
    worker = UserFactory(username="postal.phuhoa", postal_worker=True, ward=ward)
    return {"ward": ward, "chief": chief, "worker": worker, "counter": CounterFactory(ward=ward)}


def test_the_roster_prints_a_cell_left_open_in_the_editor_as_its_value(page, log_in, office):
    monday = next_monday()
    AssignmentFactory(
        ward=office["ward"],
        worker=office["worker"],
        date=monday,
        task_type=TaskType.INTAKE,
        counter=office["counter"],
        assigned_by=office["chief"],
    )
    log_in("chief.phuhoa", PASSWORD)
    page.goto("/phan-cong/")
    page.get_by_role("link", name="Tuần sau").click()
    cell = page.get_by_test_id(f"slot-postal.phuhoa-{monday.isoformat()}-morning")
    cell.get_by_role("link").click()
    editing = page.locator(".slot.editing")
    expect(editing.get_by_label("Nhiệm vụ")).to_be_visible()
    page.emulate_media(media="print")
    for form in editing.locator("form").all():
        expect(form).to_be_hidden()
    printed = editing.get_by_test_id("slot-printed")
    expect(printed).to_be_visible()
    expect(printed).to_contain_text("Tiếp nhận")
    assert editing.evaluate("e => getComputedStyle(e).position") == "static"
    page.emulate_media(media="screen")
    expect(printed).to_be_hidden()
    expect(editing.locator("form.slot-form")).to_be_visible()


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils' pdftotext")
def test_the_logbook_prints_a_dozen_rows_and_more_per_a4_page_codes_unwrapped(
    page, log_in, office, tmp_path
):
    officer = UserFactory(officer=True, ward=office["ward"])
    procedure = ProcedureFactory(
        name="Đăng ký kết hôn có yếu tố nước ngoài và ghi vào sổ hộ tịch việc kết hôn",
        processing_days=10,
    )
    for n in range(30):
        received = dt.datetime(2026, 3, 2 + n % 20, 8 + n % 8, 15, tzinfo=VIETNAM_TZ)
        DossierFactory(
            ward=office["ward"],
            procedure=procedure,
            received_by=officer,
            received_at=received,
            applicant_address="12 Yersin, khu phố 3, phường Phú Hòa",
            returned=n % 2 == 0,
        )
    codes = list(Dossier.objects.values_list("code", flat=True))
    log_in("chief.phuhoa", PASSWORD)
    page.goto("/bao-cao/phuong/phuhoa/so-theo-doi/?period=month&year=2026&month=3")
    expect(page.get_by_test_id("logbook-table").locator("tbody tr")).to_have_count(30)
    page.emulate_media(media="print")
    font = page.locator(".logbook-table td.code").first.evaluate(
        "e => getComputedStyle(e).fontFamily"
    )
    assert font == PRINT_FONT
    pdf = tmp_path / "logbook.pdf"
    pdf.write_bytes(page.pdf(prefer_css_page_size=True))
    text = subprocess.run(  # noqa: S603 - a fixed tool on our own file
        ["pdftotext", "-layout", str(pdf), "-"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pages = text.split("\f")
    on_first = [code for code in codes if code in pages[0]]
    assert len(on_first) >= 12, pages[0]
    # Every code printed whole on one line somewhere: none wrapped.
    assert all(code in text for code in codes)
    sizes = subprocess.run(  # noqa: S603
        ["pdfinfo", str(pdf)],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", sizes).groups())
    assert width > height  # landscape
