"""The counter end to end in Chromium: intake, processing steps, return, the citizen's status."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from intake.models import Dossier, Status
from tests.intake.factories import ProcedureFactory
from tests.onestop.factories import PASSWORD, UserFactory
from tests.wards.factories import CityFactory, CounterFactory, WardFactory

pytestmark = pytest.mark.browser

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "dossier-detail.png"


def refresh_screenshot(page):
    """Redraw the documentation's picture of the detail page when asked (SCREENSHOTS=1), at a
    counter's 1366 px, cut below the page's content."""
    if os.environ.get("SCREENSHOTS") == "1":
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        size = page.viewport_size
        page.set_viewport_size({"width": 1366, "height": 768})
        page.evaluate("window.scrollTo(0, 0)")
        box = page.locator("main").bounding_box()
        height = int(box["y"] + box["height"] + 16)
        page.screenshot(
            path=str(SCREENSHOT),
            full_page=True,
            clip={"x": 0, "y": 0, "width": 1366, "height": height},
        )
        page.set_viewport_size(size)


@pytest.fixture
def counter(transactional_db, settings):
    # Which procedures a postal worker may take on their own is the postal app's rule and is
    # tested there; this walk is about the dossier's way through the counter.
    settings.INTAKE_RULES = []
    city = CityFactory(name="Thủ Dầu Một", slug="thudaumot", code="718")
    ward = WardFactory(city=city, name="Phú Hòa", slug="phuhoa", unit_identifier="000.00.12.H13")
    CounterFactory(ward=ward, number=1, name="Quầy Bưu điện")
    CounterFactory(ward=ward, number=2, name="Quầy Tư pháp – Hộ tịch", officer=True)
    procedure = ProcedureFactory(
        code="1.001193",
        name="Thủ tục đăng ký khai sinh",
        field="Hộ tịch",
        processing_days=3,
        components=[
            {"name": "Tờ khai đăng ký khai sinh", "originals": 1, "copies": 0},
            {"name": "Giấy chứng sinh", "originals": 1, "copies": 0},
        ],
    )
    return {
        "procedure": procedure,
        "postal": UserFactory(
            username="postal.phuhoa",
            last_name="Nguyễn Thị",
            first_name="Hoa",
            postal_worker=True,
            ward=ward,
        ),
        "officer": UserFactory(
            username="officer.phuhoa",
            last_name="Trần Văn",
            first_name="Bình",
            officer=True,
            ward=ward,
        ),
    }


def nav(page):
    return page.get_by_role("navigation", name="Điều hướng chính")


def log_out(page):
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(re.compile(r"/dang-nhap/"))


def test_a_dossier_from_intake_to_the_returned_result(page, log_in, counter):
    # The postal worker receives the dossier through the intake form.
    log_in("postal.phuhoa", PASSWORD)
    page.goto("/tiep-nhan/")
    page.locator("#id_q").fill("khai sinh")
    picker = page.locator("#id_procedure")
    expect(picker.locator("option", has_text="Thủ tục đăng ký khai sinh")).to_have_count(1)
    picker.select_option("1.001193")
    expect(page.get_by_text("Tờ khai đăng ký khai sinh")).to_be_visible()
    page.get_by_label("Họ và tên người nộp").fill("Lê Thị Thu Trang")
    page.get_by_label("Số CCCD").fill("074190001234")
    page.get_by_label("Số điện thoại").fill("0912345678")
    page.get_by_label("Địa chỉ").fill("12 Yersin, khu phố 3, phường Phú Hòa")
    page.get_by_role("button", name="Lưu và in giấy tiếp nhận").click()

    # The receipt: its code and the PIN the citizen takes home.
    expect(page.get_by_test_id("receipt")).to_be_visible()
    code = page.get_by_test_id("receipt-code").inner_text().strip()
    pin = page.get_by_test_id("lookup-pin").inner_text().strip()
    assert re.fullmatch(r"000\.00\.12\.H13-\d{6}-0001", code)
    assert re.fullmatch(r"\d{6}", pin)
    log_out(page)

    # The officer transfers the dossier, then records the result, on its detail page.
    log_in("officer.phuhoa", PASSWORD)
    nav(page).get_by_role("link", name="Hồ sơ", exact=True).click()
    page.get_by_role("link", name=code).click()
    expect(page.get_by_test_id("dossier-code")).to_have_text(code)
    expect(page.get_by_test_id("applicant-name")).to_have_text("Lê Thị Thu Trang")
    transfer = page.get_by_test_id("step-transfer")
    transfer.get_by_label("Ghi chú").fill("Chuyển công chức tư pháp – hộ tịch")
    transfer.get_by_role("button", name="Chuyển xử lý").click()
    expect(page.get_by_role("status")).to_contain_text("Đã ghi nhận “Chuyển xử lý”")
    expect(page.get_by_test_id("step-resolve")).to_be_visible()
    refresh_screenshot(page)
    page.get_by_test_id("step-resolve").get_by_role("button", name="Có kết quả").click()
    expect(page.get_by_role("status")).to_contain_text("Đã ghi nhận “Có kết quả”")
    timeline = page.get_by_test_id("timeline")
    expect(timeline.locator("tr[data-action]")).to_have_count(3)
    expect(timeline).to_contain_text("Đang xử lý → Có kết quả")
    expect(page.get_by_test_id("step-resolve")).to_have_count(0)
    log_out(page)

    # The postal worker scans the code at the return counter and hands the result over.
    log_in("postal.phuhoa", PASSWORD)
    nav(page).get_by_role("link", name="Trả kết quả", exact=True).click()
    box = page.get_by_label("Mã hồ sơ (gõ hoặc quét mã trên giấy tiếp nhận)")
    expect(box).to_be_focused()
    page.keyboard.type(code.lower())  # a scanner types the code, then Enter
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("return-summary")).to_contain_text("Lê Thị Thu Trang")
    collector = page.get_by_label("Số CCCD của người nhận kết quả")
    expect(collector).to_be_focused()
    page.keyboard.type("074190001234")
    # The rating by keyboard: Tab into the radio group, arrows to move within it.
    page.get_by_label("Không đánh giá").focus()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Rất hài lòng", exact=True)).to_be_checked()
    page.get_by_role("button", name="Ghi nhận đã trả kết quả").click()
    expect(page.get_by_role("status")).to_contain_text(f"Đã trả kết quả hồ sơ {code}.")
    expect(page.get_by_label("Mã hồ sơ (gõ hoặc quét mã trên giấy tiếp nhận)")).to_be_focused()
    log_out(page)

    dossier = Dossier.objects.get(code=code)
    assert dossier.status == Status.RETURNED
    assert dossier.satisfaction == 5
    assert dossier.returned_by == counter["postal"]

    # The citizen looks the dossier up with the code and PIN from the receipt.
    page.goto("/tra-cuu/")
    page.get_by_label("Mã hồ sơ").fill(code)
    page.get_by_label("Mã tra cứu").fill(pin)
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.get_by_test_id("public-status-label")).to_have_text("Đã trả kết quả")
    expect(page.get_by_test_id("public-status")).not_to_contain_text("074190001234")


def test_a_postal_worker_is_never_offered_a_decision(page, log_in, counter):
    from intake.services import dossier_receive, dossier_step

    dossier = dossier_receive(
        user=counter["officer"],
        procedure=counter["procedure"],
        channel=1,
        applicant_name="Võ Minh Khang",
        applicant_id_number="074088004321",
        applicant_address="5 Lê Hồng Phong, Phú Hòa",
    ).dossier
    dossier_step(user=counter["officer"], code=dossier.code, action="transfer")
    log_in("postal.phuhoa", PASSWORD)
    page.goto(f"/ho-so/{dossier.code}/")
    expect(page.get_by_test_id("step-withdraw")).to_be_visible()
    expect(page.get_by_test_id("step-resolve")).to_have_count(0)
    expect(page.get_by_test_id("step-request_supplement")).to_have_count(0)


def _pin_in_pdf(content: bytes) -> str | None:
    """The lookup PIN a receipt PDF prints (letter-spaced on the paper), or None."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    assert content.startswith(b"%PDF")
    text = subprocess.run(  # noqa: S603 (a fixed local tool reading our own PDF)
        [pdftotext, "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    found = re.search(r"Mã tra cứu: ((?:\d\s*){6})", text)
    return re.sub(r"\s", "", found.group(1)) if found else None


def _open_pdf(page, link) -> bytes:
    """Click the receipt's PDF link as the clerk does; the PDF Chromium received."""
    bodies = []

    def keep(route):
        # Chromium shows a PDF in its own viewer page: keep the body on its way to it.
        response = route.fetch()
        bodies.append(response.body())
        route.fulfill(response=response)

    pdf_url = re.compile(r"/bien-nhan\.pdf")
    page.route(pdf_url, keep)
    link.click()
    page.wait_for_url(pdf_url)
    page.unroute(pdf_url)
    (content,) = bodies
    return content


def test_the_receipt_pdf_carries_the_pin_the_page_showed_once(page, log_in, counter):
    log_in("postal.phuhoa", PASSWORD)
    page.goto("/tiep-nhan/")
    page.locator("#id_procedure").select_option("1.001193")
    expect(page.get_by_text("Tờ khai đăng ký khai sinh")).to_be_visible()
    page.get_by_label("Họ và tên người nộp").fill("Lê Thị Thu Trang")
    page.get_by_label("Số CCCD").fill("074190001234")
    page.get_by_label("Số điện thoại").fill("0912345678")
    page.get_by_label("Địa chỉ").fill("12 Yersin, khu phố 3, phường Phú Hòa")
    page.get_by_role("button", name="Lưu và in giấy tiếp nhận").click()
    pin = page.get_by_test_id("lookup-pin").inner_text().strip()
    assert re.fullmatch(r"\d{6}", pin)

    # The clerk prints the PDF rather than the page: it has the PIN; the same link again has not.
    pdf_link = page.get_by_role("link", name="Tải bản PDF")
    href = pdf_link.get_attribute("href")
    assert _pin_in_pdf(_open_pdf(page, pdf_link)) == pin
    assert _pin_in_pdf(page.request.get(href).body()) is None

    # The receipt opened again shows no PIN, nor does its PDF.
    page.go_back()
    expect(page.get_by_test_id("receipt")).to_be_visible()
    expect(page.get_by_test_id("lookup-pin")).to_have_count(0)
    expect(page.get_by_test_id("lookup-pin-shown")).to_be_visible()
    assert _pin_in_pdf(_open_pdf(page, page.get_by_role("link", name="Tải bản PDF"))) is None
