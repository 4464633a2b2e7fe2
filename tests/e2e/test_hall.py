"""The hall in Chromium: a ticket pressed on the kiosk appears on the display, a worker calls it
from their today page, the display shows the call (and would chime and speak it), the worker
receives the citizen's dossier and finishes the ticket, and its wait appears on the chief's
dashboard."""

import os
import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from hall.devices import link_token
from hall.models import Device
from hall.services import device_create, groups_seed
from tests.intake.factories import ProcedureFactory
from tests.onestop.factories import PASSWORD, UserFactory
from tests.wards.factories import CityFactory, CounterFactory, WardFactory

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def screenshot(page, name: str) -> None:
    """Redraw the README's pictures of the hall when asked (SCREENSHOTS=1)."""
    if os.environ.get("SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / name))


@pytest.fixture
def hall(transactional_db):
    city = CityFactory(name="Thủ Dầu Một", slug="thudaumot", code="718")
    ward = WardFactory(city=city, name="Phú Hòa", slug="phuhoa")
    CounterFactory(ward=ward, number=1, name="Quầy Bưu điện")
    CounterFactory(ward=ward, number=2, name="Quầy Tư pháp – Hộ tịch", officer=True)
    groups_seed(ward=ward)
    ProcedureFactory(
        code="1.001193",
        name="Thủ tục đăng ký khai sinh",
        field="Hộ tịch",
        processing_days=3,
        components=[{"name": "Tờ khai đăng ký khai sinh", "originals": 1, "copies": 0}],
    )
    chief = UserFactory(username="chief.phuhoa", chief=True, ward=ward)
    worker = UserFactory(
        username="postal.phuhoa",
        last_name="Nguyễn Thị",
        first_name="Hoa",
        postal_worker=True,
        ward=ward,
    )
    return {
        "worker": worker,
        "kiosk": device_create(user=chief, kind=Device.Kind.KIOSK, name="Máy lấy số"),
        "display": device_create(user=chief, kind=Device.Kind.DISPLAY, name="Màn hình sảnh"),
    }


def device_page(browser, live_server, device, *, width: int, height: int):
    context = browser.new_context(
        base_url=live_server.url,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport={"width": width, "height": height},
    )
    context.set_default_timeout(10_000)
    # The kiosk prints through the browser's dialog; here it only records that it asked.
    context.add_init_script("window.print = () => { document.body.dataset.printed = '1'; };")
    page = context.new_page()
    page.goto(reverse("hall:device-link", args=[link_token(device)]))
    return page


def test_kiosk_display_and_counter(hall, browser, live_server, page, log_in):
    kiosk = device_page(browser, live_server, hall["kiosk"], width=1280, height=800)
    display = device_page(browser, live_server, hall["display"], width=1920, height=1080)
    expect(kiosk.get_by_role("heading", name="Lấy số thứ tự")).to_be_visible()
    screenshot(kiosk, "hall-kiosk.png")

    kiosk.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    expect(kiosk.get_by_test_id("ticket-number")).to_have_text("1001")
    expect(kiosk.get_by_test_id("ticket")).to_contain_text("Trước bạn còn 0 người")
    expect(kiosk.locator("body")).to_have_attribute("data-printed", "1")
    screenshot(kiosk, "hall-ticket.png")

    waiting = display.get_by_test_id("display-waiting")
    expect(waiting.get_by_role("listitem").filter(has_text="Tiếp nhận hồ sơ")).to_contain_text("1")

    log_in("postal.phuhoa", PASSWORD)
    desk = page.get_by_test_id("hall-desk")
    expect(desk).to_be_visible()
    desk.get_by_label("Bạn đang ngồi ở quầy").select_option(label="Quầy 1 – Quầy Bưu điện")
    desk.get_by_role("button", name="Chọn").click()
    page.get_by_test_id("call-next").click()
    expect(page.get_by_test_id("desk-number")).to_have_text("1001")

    # Within 2 s of the call the display shows it at counter 1, and its script takes it as new.
    expect(display.get_by_test_id("display-counter-1")).to_contain_text("1001", timeout=2_500)
    expect(display.get_by_test_id("display-calls")).to_contain_text("1001")
    expect(display.locator("body")).to_have_attribute("data-last-spoken", "1001", timeout=2_500)
    screenshot(display, "hall-display.png")

    # The worker receives the citizen's dossier (the ticket is linked to it), then finishes.
    page.goto("/tiep-nhan/")
    page.locator("#id_q").fill("khai sinh")
    page.locator("#id_procedure").select_option("1.001193")
    page.get_by_label("Họ và tên người nộp").fill("Lê Thị Thu Trang")
    page.get_by_label("Số CCCD").fill("074190001234")
    page.get_by_label("Số điện thoại").fill("0912345678")
    page.get_by_label("Địa chỉ").fill("12 Yersin, khu phố 3, phường Phú Hòa")
    page.get_by_role("button", name="Lưu và in giấy tiếp nhận").click()
    expect(page.get_by_test_id("receipt")).to_be_visible()
    page.goto("/")
    expect(page.get_by_test_id("desk-number")).to_have_text("1001")
    page.get_by_test_id("hall-desk").get_by_role("button", name="Xong").click()
    expect(page.get_by_test_id("hall-desk")).to_contain_text("Đã phục vụ xong số 1001")
    page.get_by_role("button", name="Đăng xuất").click()

    # The chief's dashboard: the queue is empty, the wait of the day has its first ticket.
    log_in("chief.phuhoa", PASSWORD)
    board = page.get_by_test_id("hall-board")
    expect(board).to_be_visible()
    waits = board.get_by_test_id("board-waits")
    line = waits.get_by_role("row").filter(has_text="Tiếp nhận hồ sơ")
    expect(line.get_by_role("link", name="1", exact=True)).to_be_visible()
    expect(line.get_by_test_id("board-wait-mean")).to_have_text(re.compile(r"^\d+,\d$"))
    expect(waits.get_by_role("row").filter(has_text="Nhân viên bưu điện")).to_be_visible()
