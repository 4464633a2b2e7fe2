"""Focus after in-place actions (static/js/focus.js, static/js/postal.js): a roster cell saved
or closed, a grant toggled, a guidance session logged, an out-of-list dossier reviewed; each
leaves focus on the control acted on, or on the next sensible one, never on <body>."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hall.models import ServiceGroup
from hall.services import groups_seed
from hall.services.tickets import ticket_issue
from tests.intake.factories import DossierFactory, ProcedureFactory
from tests.onestop.factories import PASSWORD, UserFactory
from tests.wards.factories import CityFactory, CounterFactory, WardFactory

pytestmark = [pytest.mark.browser]

ACTIVE_TESTID = "document.activeElement.closest('[data-testid]')?.dataset.testid ?? null"


@pytest.fixture
def ward_staff(transactional_db):
    city = CityFactory(name="Thủ Dầu Một", slug="thudaumot", code="718")
    ward = WardFactory(city=city, name="Phú Hòa", slug="phuhoa", unit_identifier="000.00.12.H13")
    CounterFactory(ward=ward, number=1, name="Quầy Bưu điện")
    procedure = ProcedureFactory(
        code="1.000656", name="Thủ tục đăng ký khai tử", field="Hộ tịch", processing_days=1
    )
    return {
        "ward": ward,
        "procedure": procedure,
        "chief": UserFactory(
            username="chief.phuhoa", last_name="Lê Minh", first_name="Tuấn", chief=True, ward=ward
        ),
        "worker": UserFactory(
            username="postal.phuhoa",
            last_name="Nguyễn Thị",
            first_name="Hoa",
            postal_worker=True,
            ward=ward,
        ),
    }


def test_a_roster_cell_saved_or_closed_keeps_focus_and_its_row_total(page, log_in, ward_staff):
    today = timezone.localdate()
    worker = ward_staff["worker"]
    log_in("chief.phuhoa", PASSWORD)
    page.goto("/phan-cong/")
    testid = f"slot-postal.phuhoa-{today.isoformat()}-morning"
    cell = page.get_by_test_id(testid)
    row_total = page.locator(f'[data-row-shifts="{worker.pk}"]')
    expect(row_total).to_have_text("0")

    cell.get_by_role("link").click()
    editing = page.locator(".slot.editing")
    editing.get_by_label("Nhiệm vụ").select_option(label="Tiếp nhận")
    editing.get_by_label("Quầy").select_option(label="1 – Quầy Bưu điện")
    editing.get_by_role("button", name="Lưu").click()
    expect(cell).to_contain_text("Tiếp nhận")
    expect(cell.get_by_role("link")).to_be_focused()
    assert page.evaluate(ACTIVE_TESTID) == testid
    expect(row_total).to_have_text("1")  # the row's shift count follows the cell
    expect(page.get_by_test_id("week-total")).to_have_text("1")

    # Opened again and closed by its button, then by Esc: focus is back on the cell each time.
    cell.get_by_role("link").click()
    page.locator(".slot.editing").get_by_role("link", name="Đóng").click()
    expect(page.locator(".slot.editing")).to_have_count(0)
    expect(cell.get_by_role("link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".slot.editing").get_by_label("Nhiệm vụ")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator(".slot.editing")).to_have_count(0)
    expect(cell.get_by_role("link")).to_be_focused()
    assert page.evaluate("document.activeElement.tagName") == "A"


def test_a_grant_toggled_keeps_focus_on_its_toggle(page, log_in, ward_staff):
    log_in("chief.phuhoa", PASSWORD)
    page.goto("/giao-thu-tuc/")
    page.get_by_role("button", name="Giao Nguyễn Thị Hoa tiếp nhận Thủ tục đăng ký khai tử").click()
    revoke = page.get_by_role(
        "button", name="Nguyễn Thị Hoa được tiếp nhận Thủ tục đăng ký khai tử: thu hồi"
    )
    expect(revoke).to_have_attribute("aria-pressed", "true")
    expect(revoke).to_be_focused()

    page.keyboard.press("Enter")  # revoked from the keyboard, the focus stays on the toggle
    grant = page.get_by_role("button", name="Giao Nguyễn Thị Hoa tiếp nhận Thủ tục đăng ký khai tử")
    expect(grant).to_have_attribute("aria-pressed", "false")
    expect(grant).to_be_focused()


def test_a_guidance_session_logged_returns_focus_to_the_form(page, log_in, ward_staff):
    log_in("postal.phuhoa", PASSWORD)
    page.goto("/huong-dan/")
    topic = page.get_by_label("Nội dung hướng dẫn")
    topic.fill("Hỏi giấy tờ đăng ký khai sinh")
    page.get_by_role("button", name="Ghi sổ").click()
    expect(page.get_by_role("status")).to_contain_text("Đã ghi lượt hướng dẫn")
    expect(page.get_by_label("Nội dung hướng dẫn")).to_be_focused()  # ready for the next citizen
    assert page.evaluate("document.activeElement.id") == "id_topic"

    # Nothing typed: refused, and focus is on the field that needs it.
    page.get_by_label("Thủ tục (không bắt buộc)").focus()
    page.get_by_role("button", name="Ghi sổ").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    expect(page.get_by_label("Nội dung hướng dẫn")).to_be_focused()


def test_an_out_of_list_review_moves_focus_to_the_next_dossier(page, log_in, ward_staff):
    ward, worker = ward_staff["ward"], ward_staff["worker"]
    older, newer = (
        DossierFactory(
            ward=ward,
            procedure=ward_staff["procedure"],
            received_by=worker,
            out_of_list=True,
            age=age,
        )
        for age in (timezone.timedelta(hours=5), timezone.timedelta(hours=2))
    )
    log_in("chief.phuhoa", PASSWORD)
    page.goto("/ngoai-danh-muc/")
    first = page.locator(f'[id="review-{older.code}"]')
    first.get_by_label("Nhận xét của trưởng bộ phận").fill("Đúng quy trình.")
    first.get_by_role("button", name="Đã xem xét").click()
    expect(page.get_by_role("status")).to_contain_text(f"Đã xem xét hồ sơ {older.code}")
    following = page.locator(f'[id="review-{newer.code}"]').get_by_label(
        "Nhận xét của trưởng bộ phận"
    )
    expect(following).to_be_focused()

    # The last one: the queue is empty, focus goes to its row among the reviewed.
    following.fill("Chuyển Tư pháp.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text(f"Đã xem xét hồ sơ {newer.code}")
    expect(page.locator(f'[id="reviewed-{newer.code}"]').get_by_role("link")).to_be_focused()


def test_the_calling_panel_keeps_focus_on_calling_the_next(page, log_in, ward_staff):
    groups_seed(ward=ward_staff["ward"])
    group = ServiceGroup.objects.filter(ward=ward_staff["ward"]).first()
    ticket = ticket_issue(group=group, user=ward_staff["worker"])
    log_in("postal.phuhoa", PASSWORD)
    desk = page.get_by_test_id("hall-desk")
    desk.get_by_label("Bạn đang ngồi ở quầy").select_option(label="Quầy 1 – Quầy Bưu điện")
    desk.get_by_role("button", name="Chọn").click()
    call_next = page.get_by_test_id("call-next")
    expect(call_next).to_be_focused()  # the counter chosen, the next step is calling

    call_next.click()
    expect(page.get_by_test_id("desk-number")).to_have_text(str(ticket.number))
    expect(call_next).to_be_focused()
    page.get_by_role("button", name="Gọi lại").click()
    expect(page.get_by_role("status")).to_contain_text(f"Đã gọi lại số {ticket.number}")
    expect(call_next).to_be_focused()  # the panel's main action, named by data-focus-return
    page.get_by_role("button", name="Xong").click()
    expect(page.get_by_test_id("hall-desk")).to_contain_text("Quầy chưa gọi ai")
    expect(call_next).to_be_focused()
