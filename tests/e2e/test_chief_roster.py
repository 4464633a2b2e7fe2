"""The chief's back office in Chromium: next week's roster, a refused clash, a grant; then the
postal worker's day, an intake the grant allows, and one outside the list that only an
out-of-list shift allows."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from intake.models import Dossier
from postal.models import Assignment
from tests.intake.factories import ProcedureFactory
from tests.onestop.factories import PASSWORD, UserFactory
from tests.wards.factories import CityFactory, CounterFactory, WardFactory

pytestmark = [pytest.mark.browser, pytest.mark.intake_rules]


@pytest.fixture
def back_office(transactional_db):
    city = CityFactory(name="Thủ Dầu Một", slug="thudaumot", code="718")
    ward = WardFactory(city=city, name="Phú Hòa", slug="phuhoa", unit_identifier="000.00.12.H13")
    CounterFactory(ward=ward, number=1, name="Quầy Bưu điện")
    CounterFactory(ward=ward, number=2, name="Quầy Tư pháp – Hộ tịch", officer=True)
    listed = ProcedureFactory(
        code="1.000656",
        name="Thủ tục đăng ký khai tử",
        field="Hộ tịch",
        processing_days=1,
        components=[{"name": "Tờ khai đăng ký khai tử", "originals": 1, "copies": 0}],
    )
    unlisted = ProcedureFactory(
        code="2.000942",
        name="Chứng thực hợp đồng, giao dịch",
        field="Chứng thực",
        processing_days=2,
        not_postal=True,
        components=[{"name": "Dự thảo hợp đồng", "originals": 1, "copies": 0}],
    )
    return {
        "listed": listed,
        "unlisted": unlisted,
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
        "colleague": UserFactory(
            username="postal2.phuhoa",
            last_name="Trần Thu",
            first_name="Hà",
            postal_worker=True,
            ward=ward,
        ),
    }


def nav(page):
    return page.get_by_role("navigation", name="Điều hướng chính")


def log_out(page):
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(re.compile(r"/dang-nhap/"))


def full_form(page, *, worker: str, day: dt.date, shift: str, task: str, counter: str | None):
    page.goto("/phan-cong/o/")
    page.get_by_label("Nhân viên").select_option(label=worker)
    page.get_by_label("Ngày").fill(day.isoformat())
    page.get_by_label("Ca").select_option(label=shift)
    page.get_by_label("Nhiệm vụ").select_option(label=task)
    if counter:
        page.get_by_label("Quầy").select_option(label=counter)
    page.get_by_role("button", name="Lưu phân công").click()


def receive(page, *, search: str, code: str, name: str):
    page.goto("/tiep-nhan/")
    page.locator("#id_q").fill(search)
    page.locator("#id_procedure").select_option(code)
    expect(page.locator("#procedure-panel")).to_contain_text(name)
    page.get_by_label("Họ và tên người nộp").fill("Phạm Văn Tài")
    page.get_by_label("Số CCCD").fill("074085001234")
    page.get_by_label("Số điện thoại").fill("0987654321")
    page.get_by_label("Địa chỉ").fill("8 Yersin, khu phố 2, phường Phú Hòa")
    page.get_by_role("button", name="Lưu và in giấy tiếp nhận").click()


def test_the_chief_plans_grants_and_the_worker_receives_accordingly(
    page, log_in, live_server, back_office
):
    today = timezone.localdate()
    next_monday = today + dt.timedelta(days=7 - today.weekday())
    worker = back_office["worker"]

    # The chief builds next week's roster in the grid, in place.
    log_in("chief.phuhoa", PASSWORD)
    expect(page.get_by_role("heading", name="Phân công hôm nay")).to_be_visible()
    nav(page).get_by_role("link", name="Phân công", exact=True).click()
    page.get_by_role("link", name="Tuần sau").click()
    cell = page.get_by_test_id(f"slot-postal.phuhoa-{next_monday.isoformat()}-morning")
    cell.get_by_role("link").click()
    editing = page.locator(".slot.editing")
    expect(editing.get_by_label("Nhiệm vụ")).to_be_focused()
    editing.get_by_label("Nhiệm vụ").select_option(label="Tiếp nhận")
    editing.get_by_label("Quầy").select_option(label="1 – Quầy Bưu điện")
    editing.get_by_role("button", name="Lưu").click()
    expect(cell).to_contain_text("Tiếp nhận")
    expect(cell).to_contain_text("Q1")
    expect(page.get_by_test_id("week-total")).to_have_text("1")  # the workload panel follows

    afternoon = page.get_by_test_id(f"slot-postal2.phuhoa-{next_monday.isoformat()}-afternoon")
    afternoon.get_by_role("link").click()
    page.locator(".slot.editing").get_by_label("Nhiệm vụ").select_option(label="Nhập liệu")
    page.locator(".slot.editing").get_by_role("button", name="Lưu").click()
    expect(afternoon).to_contain_text("Nhập liệu")
    expect(page.get_by_test_id("week-total")).to_have_text("2")

    # A second task for the same worker and shift is refused, naming the first.
    full_form(
        page,
        worker="Nguyễn Thị Hoa",
        day=next_monday,
        shift="Sáng",
        task="Trả kết quả",
        counter="2 – Quầy Tư pháp – Hộ tịch",
    )
    alert = page.get_by_role("alert").first
    expect(alert).to_contain_text("đã được phân công trong ca này")
    expect(alert).to_contain_text(f"ca sáng {next_monday:%d/%m/%Y}")
    expect(alert).to_contain_text("Quầy 1")
    expect(page.get_by_label("Nhiệm vụ")).to_have_value("result_return")  # typed values stay
    assert Assignment.objects.filter(worker=worker, date=next_monday).count() == 1

    # Today the worker is at the postal counter, both shifts.
    for shift in ("Sáng", "Chiều"):
        full_form(
            page,
            worker="Nguyễn Thị Hoa",
            day=today,
            shift=shift,
            task="Tiếp nhận",
            counter="1 – Quầy Bưu điện",
        )
        expect(page.get_by_role("status")).to_contain_text("Đã lưu phân công")

    # The chief grants the worker the death registration.
    nav(page).get_by_test_id("nav-more").locator("summary").click()
    nav(page).get_by_role("link", name="Giao thủ tục", exact=True).click()
    grant = page.get_by_role("button", name="Giao Nguyễn Thị Hoa tiếp nhận Thủ tục đăng ký khai tử")
    grant.click()
    expect(
        page.get_by_role(
            "button", name="Nguyễn Thị Hoa được tiếp nhận Thủ tục đăng ký khai tử: thu hồi"
        )
    ).to_have_attribute("aria-pressed", "true")
    log_out(page)

    # The worker's day: today's tasks and the procedure just granted.
    log_in("postal.phuhoa", PASSWORD)
    expect(page.get_by_test_id("today-shifts")).to_contain_text("Tiếp nhận")
    expect(page.get_by_test_id("authorised-procedures")).to_contain_text("Thủ tục đăng ký khai tử")
    receive(page, search="khai tu", code="1.000656", name="Tờ khai đăng ký khai tử")
    expect(page.get_by_test_id("receipt")).to_be_visible()
    first = Dossier.objects.get()
    assert (first.procedure_code, first.out_of_list) == ("1.000656", False)

    # A procedure outside the postal list is refused, with the reason.
    receive(page, search="chung thuc hop dong", code="2.000942", name="Dự thảo hợp đồng")
    expect(page.locator("#procedure-errors")).to_contain_text(
        "không thuộc danh mục tiếp nhận qua bưu điện"
    )
    expect(page.get_by_label("Họ và tên người nộp")).to_have_value("Phạm Văn Tài")
    assert Dossier.objects.count() == 1
    log_out(page)

    # The chief turns today's shifts into out-of-list intake…
    log_in("chief.phuhoa", PASSWORD)
    for assignment in Assignment.objects.filter(worker=worker, date=today):
        page.goto(f"/phan-cong/{assignment.pk}/")
        page.get_by_label("Nhiệm vụ").select_option(label="Tiếp nhận ngoài danh mục")
        page.get_by_role("button", name="Lưu", exact=True).click()
        expect(page.get_by_role("status")).to_contain_text("Tiếp nhận ngoài danh mục")
    log_out(page)

    # …and now the worker receives it, flagged for the chief's review.
    log_in("postal.phuhoa", PASSWORD)
    expect(page.get_by_test_id("today-shifts")).to_contain_text("Tiếp nhận ngoài danh mục")
    receive(page, search="chung thuc hop dong", code="2.000942", name="Dự thảo hợp đồng")
    expect(page.get_by_test_id("receipt")).to_be_visible()
    second = Dossier.objects.get(procedure_code="2.000942")
    assert second.out_of_list
    log_out(page)

    log_in("chief.phuhoa", PASSWORD)
    expect(page.get_by_test_id("review-count")).to_have_text("1")
    page.goto("/ngoai-danh-muc/")
    page.get_by_label("Nhận xét của trưởng bộ phận").fill("Đúng quy trình, chuyển Tư pháp.")
    page.get_by_role("button", name="Đã xem xét").click()
    expect(page.get_by_role("status")).to_contain_text(f"Đã xem xét hồ sơ {second.code}")
    assert second.events.filter(action="review_out_of_list").count() == 1
