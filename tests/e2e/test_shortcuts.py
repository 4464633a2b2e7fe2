"""Keyboard shortcuts at the counter (static/js/shortcuts.js): n, t, / and g act; nothing fires
while typing or with a modifier held; ? opens the help, Esc closes it and focus goes back."""

import re

import pytest
from playwright.sync_api import expect

from hall.models import ServiceGroup
from hall.services import groups_seed
from hall.services.tickets import ticket_issue
from tests.onestop.factories import PASSWORD, UserFactory
from tests.wards.factories import CityFactory, CounterFactory, WardFactory

pytestmark = [pytest.mark.browser]


@pytest.fixture
def counter_staff(transactional_db):
    city = CityFactory(name="Thủ Dầu Một", slug="thudaumot", code="718")
    ward = WardFactory(city=city, name="Phú Hòa", slug="phuhoa")
    CounterFactory(ward=ward, number=1, name="Quầy Bưu điện")
    groups_seed(ward=ward)
    UserFactory(username="admin.thudaumot", city_admin=True, city=city)
    return UserFactory(
        username="postal.phuhoa",
        last_name="Nguyễn Thị",
        first_name="Hoa",
        postal_worker=True,
        ward=ward,
    )


def blur(page):
    page.evaluate("document.activeElement && document.activeElement.blur()")


def test_each_shortcut_acts(page, log_in, live_server, counter_staff):
    log_in("postal.phuhoa", PASSWORD)
    home = page.url

    blur(page)
    page.keyboard.press("n")
    expect(page).to_have_url(re.compile(r"/tiep-nhan/$"))

    page.goto(home)
    blur(page)
    page.keyboard.press("t")
    expect(page).to_have_url(re.compile(r"/tra-ket-qua/$"))

    page.goto(home)
    blur(page)
    page.keyboard.press("/")
    expect(page).to_have_url(re.compile(r"/ho-so/#id_q$"))
    expect(page.get_by_role("search").locator("#id_q")).to_be_focused()
    blur(page)
    page.keyboard.press("/")  # already on the list: the search box, no reload
    expect(page.locator("#id_q")).to_be_focused()

    # g calls the next number from the hall's panel on the worker's home.
    ticket = ticket_issue(
        group=ServiceGroup.objects.filter(ward=counter_staff.ward).first(), user=counter_staff
    )
    page.goto(home)
    desk = page.get_by_test_id("hall-desk")
    desk.get_by_label("Bạn đang ngồi ở quầy").select_option(label="Quầy 1 – Quầy Bưu điện")
    desk.get_by_role("button", name="Chọn").click()
    expect(page.get_by_test_id("call-next")).to_be_focused()  # the panel has settled
    blur(page)
    page.keyboard.press("g")
    expect(page.get_by_test_id("desk-number")).to_have_text(str(ticket.number))
    expect(page.get_by_test_id("call-next")).to_be_focused()  # ready for the one after


def test_nothing_fires_while_typing_or_with_a_modifier(page, log_in, counter_staff):
    log_in("postal.phuhoa", PASSWORD)
    page.goto("/ho-so/")
    search = page.locator("#id_q")
    search.click()
    page.keyboard.type("nt/g?")
    expect(search).to_have_value("nt/g?")
    expect(page).to_have_url(re.compile(r"/ho-so/$"))
    expect(page.get_by_test_id("shortcuts-help")).to_be_hidden()

    page.locator("#language-switch").focus()
    page.keyboard.press("n")
    page.keyboard.press("t")
    page.evaluate(
        "const d = document.createElement('div'); d.contentEditable = 'true'; d.id = 'note';"
        "document.querySelector('main').append(d);"
    )
    page.locator("#note").click()
    page.keyboard.type("n/")
    expect(page.locator("#note")).to_have_text("n/")

    blur(page)
    page.keyboard.press("Alt+n")
    page.keyboard.press("Alt+t")
    page.keyboard.press("Alt+Shift+Slash")
    page.wait_for_timeout(300)
    expect(page).to_have_url(re.compile(r"/ho-so/$"))
    expect(page.get_by_test_id("shortcuts-help")).to_be_hidden()


def test_question_mark_opens_the_help_and_escape_gives_focus_back(page, log_in, counter_staff):
    log_in("postal.phuhoa", PASSWORD)
    logout = page.get_by_role("button", name="Đăng xuất")
    logout.focus()
    page.keyboard.press("?")
    help = page.get_by_role("dialog", name="Phím tắt")
    expect(help).to_be_visible()
    expect(help).to_contain_text("Tiếp nhận hồ sơ mới")
    expect(help).to_contain_text("Gọi số tiếp theo")
    page.keyboard.press("n")  # the help is open: no shortcut behind it
    expect(page).not_to_have_url(re.compile(r"/tiep-nhan/"))
    page.keyboard.press("Escape")
    expect(help).to_be_hidden()
    expect(logout).to_be_focused()

    page.keyboard.press("?")
    expect(help).to_be_visible()
    help.get_by_role("button", name="Đóng").click()
    expect(help).to_be_hidden()
    expect(logout).to_be_focused()


def test_only_ward_staff_have_the_shortcuts(page, log_in, counter_staff):
    log_in("admin.thudaumot", PASSWORD)
    blur(page)
    page.keyboard.press("?")
    page.keyboard.press("n")
    page.wait_for_timeout(300)
    expect(page.get_by_test_id("shortcuts-help")).to_have_count(0)
    expect(page).not_to_have_url(re.compile(r"/tiep-nhan/"))
