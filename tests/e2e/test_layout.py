"""The frame in Chromium: on every role's main pages, at a counter's 1366 px, at 1024 and at
800 px, the header is one row and the page never scrolls sideways (wide tables scroll inside
their own box). Each page is photographed into the test's tmp_path, so a failure can be looked
at; with SCREENSHOTS=1 the README's pictures are redrawn at 1366 px."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from intake.models import Dossier
from tests.e2e.demo_pages import ROLES, intake_procedure, pages_for, seed_demo_city, sign_in

pytestmark = pytest.mark.browser

WIDTHS = (1366, 1024, 800)
COMPACT_BELOW = 1100
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

# The header's row: every visible part of the bar shares one band as high as the tallest part,
# and the header is that band plus the bar's padding.
MEASURE = """() => {
  const header = document.querySelector(".site-header");
  const bar = header.querySelector(".bar");
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== "hidden";
  };
  const rects = [...bar.children].filter(visible).map((el) => el.getBoundingClientRect());
  const style = getComputedStyle(bar);
  const tallest = Math.max(...rects.map((r) => r.height));
  const navTops = [...document.querySelectorAll(".nav-primary > li")].filter(visible)
    .map((li) => Math.round(li.getBoundingClientRect().top));
  return {
    header: header.getBoundingClientRect().height,
    row: tallest + parseFloat(style.paddingTop) + parseFloat(style.paddingBottom),
    span: Math.max(...rects.map((r) => r.bottom)) - Math.min(...rects.map((r) => r.top)),
    tallest: tallest,
    navRows: new Set(navTops).size,
    scrollWidth: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
  };
}"""


def layout_problems(page, where: str) -> list[str]:
    m = page.evaluate(MEASURE)
    problems = []
    if m["header"] > m["row"] + 1 or m["span"] > m["tallest"] + 1 or m["navRows"] > 1:
        problems.append(f"{where}: header not one row {m}")
    if m["scrollWidth"] > m["viewport"]:
        problems.append(f"{where}: page scrolls sideways ({m['scrollWidth']} > {m['viewport']})")
    return problems


def check_widths(page, name: str, tmp_path: Path) -> list[str]:
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 768})
        compact = page.get_by_test_id("nav-compact")
        if width < COMPACT_BELOW:
            expect(compact).to_be_visible()
            expect(page.locator(".nav-primary")).to_be_hidden()
        else:
            expect(compact).to_be_hidden()
            expect(page.locator(".nav-primary")).to_be_visible()
        shot = tmp_path / f"{name}-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        problems += [f"{problem} (see {shot})" for problem in layout_problems(page, name)]
    return problems


def docs_screenshot(page, name: str, *, bottom_of: str = "main", most: int = 1400) -> None:
    """Redraw a README picture at 1366 px when asked (SCREENSHOTS=1), cut below `bottom_of`."""
    if os.environ.get("SCREENSHOTS") != "1":
        return
    page.set_viewport_size({"width": 1366, "height": 768})
    page.evaluate("window.scrollTo(0, 0)")
    box = page.locator(bottom_of).first.bounding_box()
    height = min(most, int(box["y"] + box["height"] + 16))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=str(SCREENSHOTS / name),
        full_page=True,
        clip={"x": 0, "y": 0, "width": 1366, "height": height},
    )


@pytest.fixture
def demo_city(transactional_db, settings):
    if os.environ.get("SCREENSHOTS") == "1":
        # A fuller year for the pictures of the city's trends.
        settings.DEMO_DOSSIERS_PER_WARD = "30-45"
    seed_demo_city()


@pytest.mark.parametrize("role", ROLES)
def test_every_main_page_keeps_a_one_row_header_and_no_sideways_scroll(
    page, live_server, demo_city, role, tmp_path
):
    sign_in(page, role)
    problems = []
    for demo_page in pages_for(role):
        page.set_viewport_size({"width": 1366, "height": 768})
        response = page.goto(demo_page.url)
        assert response.status == 200, demo_page
        problems += check_widths(page, f"{role}-{demo_page.name}", tmp_path)
        if role == "chief" and demo_page.name == "roster":
            docs_screenshot(page, "week-grid.png", bottom_of="main .legend")
        if role == "city_admin" and demo_page.name == "report-city":
            docs_screenshot(page, "city-report.png", most=1000)

    if role == "postal_worker":
        # The intake form filled in, and the receipt it prints.
        page.set_viewport_size({"width": 1366, "height": 768})
        procedure = intake_procedure()
        page.goto(f"/tiep-nhan/?procedure={procedure.code}")
        page.get_by_label("Họ và tên người nộp").fill("Lê Thị Thu Trang")
        page.get_by_label("Số CCCD").fill("074190001234")
        page.get_by_label("Số điện thoại").fill("0912345678")
        page.get_by_label("Địa chỉ").fill("12 Yersin, khu phố 3, phường Phú Hòa")
        docs_screenshot(page, "intake-form.png", most=2000)
        page.get_by_role("button", name="Lưu và in giấy tiếp nhận").click()
        expect(page.get_by_test_id("receipt")).to_be_visible()
        docs_screenshot(page, "receipt.png")
        problems += check_widths(page, f"{role}-receipt", tmp_path)

    assert not problems, "\n".join(problems)


def test_the_menu_groups_work_by_keyboard(page, live_server, demo_city):
    sign_in(page, "chief")
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    # The chief's primary items stay in the row; the others wait in "Thêm".
    for label in ("Trang chủ", "Tiếp nhận hồ sơ", "Hồ sơ", "Trả kết quả", "Báo cáo", "Phân công"):
        expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()
    more = page.get_by_test_id("nav-more")
    summary = more.locator("summary")
    expect(nav.get_by_role("link", name="Nhân viên", exact=True)).to_be_hidden()

    summary.focus()
    page.keyboard.press("Enter")
    expect(more).to_have_attribute("open", "")
    expect(nav.get_by_role("link", name="Nhân viên", exact=True)).to_be_visible()
    page.keyboard.press("Tab")
    expect(more.get_by_role("link").first).to_be_focused()
    page.keyboard.press("Escape")
    expect(more).not_to_have_attribute("open", "")
    expect(summary).to_be_focused()

    # Followed from the group, the page is marked current there and on the group itself.
    page.keyboard.press("Space")
    more.get_by_role("link", name="Nhân viên", exact=True).click()
    expect(page).to_have_url(re.compile(r"/nhan-vien/$"))
    expect(summary).to_have_class(re.compile(r"\bcurrent\b"))
    expect(more.locator("a[aria-current='page']")).to_have_text("Nhân viên")

    # Below 1100 px one button holds every item; a click elsewhere closes it.
    page.set_viewport_size({"width": 800, "height": 768})
    compact = page.get_by_test_id("nav-compact")
    compact.locator("summary").click()
    expect(compact.get_by_role("link", name="Giao thủ tục", exact=True)).to_be_visible()
    expect(compact.get_by_role("link", name="Tài liệu API", exact=True)).to_be_visible()
    page.locator(".site-footer").click()
    expect(compact).not_to_have_attribute("open", "")
    compact.locator("summary").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    expect(compact.locator("summary")).to_be_focused()

    # The skip link still leads past the header, and the shortcuts still answer.
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Bỏ qua đến nội dung")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#content$"))
    page.locator("main h1").first.click()
    page.keyboard.press("?")
    expect(page.get_by_test_id("shortcuts-help")).to_be_visible()


def test_a_wide_table_scrolls_in_its_own_named_box(page, live_server, demo_city):
    sign_in(page, "chief")
    page.set_viewport_size({"width": 800, "height": 768})
    page.goto("/ho-so/")
    assert Dossier.objects.exists()
    table = page.get_by_test_id("dossier-table")
    box = page.locator(".table-wrap", has=table)
    # It scrolls: so it can be reached by keyboard, and says what it holds.
    expect(box).to_have_attribute("tabindex", "0")
    expect(box).to_have_attribute("role", "region")
    expect(box).to_have_attribute("aria-label", re.compile(r"\S"))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    box.focus()
    page.keyboard.press("ArrowRight")
    scrolled = 0
    for _ in range(20):
        scrolled = box.evaluate("(el) => el.scrollLeft")
        if scrolled:
            break
        page.wait_for_timeout(100)
    assert scrolled > 0

    # Wide again, the same table fits: no stop for the keyboard, no region.
    page.set_viewport_size({"width": 1366, "height": 768})
    expect(box).not_to_have_attribute("tabindex", "0")
    expect(box).not_to_have_attribute("role", "region")
