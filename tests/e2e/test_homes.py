"""Each role signs in through the real form in Chromium and lands on their own home page."""

import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.onestop.factories import PASSWORD, UserFactory
from tests.wards.factories import CityFactory, CounterFactory, WardFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def people(transactional_db):
    city = CityFactory(name="Thủ Dầu Một", slug="thudaumot", code="718")
    ward = WardFactory(city=city, name="Phú Hòa", slug="phuhoa")
    neighbour = WardFactory(city=city, name="Phú Lợi", slug="phuloi")
    CounterFactory(ward=ward, number=1, name="Quầy Bưu điện")
    CounterFactory(ward=ward, number=2, name="Quầy Tư pháp – Hộ tịch", officer=True)
    CounterFactory(ward=neighbour, number=1, name="Quầy Bưu điện")
    UserFactory(postal_worker=True, ward=neighbour, username="postal.phuloi")

    def person(username, last, first, **role):
        return UserFactory(username=username, last_name=last, first_name=first, **role)

    return {
        "postal_worker": person(
            "postal.phuhoa", "Nguyễn Thị", "Hoa", postal_worker=True, ward=ward
        ),
        "officer": person("officer.phuhoa", "Trần Văn", "Bình", officer=True, ward=ward),
        "chief": person("chief.phuhoa", "Lê Minh", "Tuấn", chief=True, ward=ward),
        "city_admin": person("admin.thudaumot", "Phạm Ngọc", "Lan", city_admin=True, city=city),
    }


@pytest.mark.parametrize(
    ("role", "label", "place", "content"),
    [
        ("postal_worker", "Nhân viên bưu điện", "Phú Hòa", "Quầy của phường"),
        ("officer", "Công chức một cửa", "Phú Hòa", "Quầy của phường"),
        ("chief", "Trưởng bộ phận một cửa", "Phú Hòa", "Cán bộ, nhân viên"),
        ("city_admin", "Quản trị thành phố", "Thủ Dầu Một", "Các phường và giai đoạn thí điểm"),
    ],
)
def test_each_role_signs_in_to_their_home(
    page, log_in, live_server, people, role, label, place, content
):
    user = people[role]
    log_in(user.username, PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_test_id("who-name")).to_have_text(user.get_full_name())
    expect(page.get_by_test_id("who-role")).to_have_text(f"{label} · {place}")
    expect(page.get_by_role("heading", name=content)).to_be_visible()


def test_wrong_password_shows_the_vietnamese_error(page, log_in, people):
    log_in("postal.phuhoa", "sai-mat-khau")
    expect(page.get_by_role("alert")).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng.")
    expect(page.get_by_label("Tên đăng nhập")).to_have_value("postal.phuhoa")
    expect(page.get_by_label("Mật khẩu")).to_have_value("")
    expect(page.get_by_test_id("who-name")).to_have_count(0)


def test_chief_sees_only_their_wards_staff(page, log_in, people):
    log_in("chief.phuhoa", PASSWORD)
    staff = page.get_by_role("table").filter(has_text="Tên đăng nhập")
    for username in ("postal.phuhoa", "officer.phuhoa", "chief.phuhoa"):
        expect(staff.get_by_role("cell", name=username, exact=True)).to_be_visible()
    expect(staff.get_by_role("cell", name="postal.phuloi", exact=True)).to_have_count(0)
    # Kept for a human look at the layout (CI artefact).
    page.screenshot(path=Path(tempfile.gettempdir()) / "chief-home.png", full_page=True)


def test_logout_returns_to_the_login_page(page, log_in, live_server, people):
    log_in("officer.phuhoa", PASSWORD)
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(re.compile(r"/dang-nhap/"))
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/dang-nhap/\?next=/$"))


def test_language_switch_to_english(page, log_in, people):
    log_in("postal.phuhoa", PASSWORD)
    page.locator("#language-switch").select_option("en")
    page.get_by_role("button", name="Đổi").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_pages_load_with_their_icon_and_nothing_missing(page, log_in, people):
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    log_in("postal.phuhoa", PASSWORD)
    href = page.locator('link[rel="icon"]').get_attribute("href")
    icon = page.request.get(href)
    assert icon.status == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert missing == []
