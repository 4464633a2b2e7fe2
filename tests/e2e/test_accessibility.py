"""axe-core (vendored: tests/e2e/vendor/axe.min.js, see static/VENDORED.md) on every role's main
pages and forms in Chromium: no violation of impact serious or critical. The receipt and the
reports are also read in the order a screen reader takes: the DOM order is the visual order,
and their tables say what their headers head."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.demo_pages import (
    ROLES,
    USERNAMES,
    intake_procedure,
    pages_for,
    seed_demo_city,
    sign_in,
)

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
BLOCKING = ("serious", "critical")

RUN_AXE = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => n.target.join(" ") + " — " + n.failureSummary.replace(/\\s+/g, " ")),
  }));
}"""


# A screen reader reads in DOM order (a table as a table: it is one block here, its cells are
# read by row and column). Going through the visible text blocks in that order, none
# may come back above the one before it (unless it starts a column to its right) nor sit left of
# it on the same line.
READING_ORDER = """(selector) => {
  const blocks = [...document.querySelectorAll(selector)].flatMap((root) =>
    [...root.querySelectorAll("h1, h2, h3, h4, p, li, dt, dd, table, figcaption")]);
  const shown = blocks.filter((el) => el.checkVisibility() && el.getBoundingClientRect().height > 0
    && !(el.parentElement && el.parentElement.closest("table")));
  const text = (el) => el.textContent.trim().slice(0, 40);
  const jumps = [];
  for (let i = 1; i < shown.length; i++) {
    const a = shown[i - 1].getBoundingClientRect(), b = shown[i].getBoundingClientRect();
    const above = b.bottom <= a.top + 1 && b.left < a.right - 1;
    const sameLine = b.top < a.bottom - 1 && b.bottom > a.top + 1;
    if (above || (sameLine && b.right <= a.left + 1)) {
      jumps.push(text(shown[i - 1]) + " → " + text(shown[i]));
    }
  }
  return jumps;
}"""

# Every data table says what it holds (a caption, or a label) and what its headers head.
TABLES = """(selector) => [
  ...document.querySelectorAll(selector + " table:not([role='presentation'])")].flatMap((table) => {
    const name = (table.caption && table.caption.textContent.trim())
      || table.getAttribute("aria-label") || table.getAttribute("aria-labelledby");
    const where = table.dataset.testid || table.className;
    const problems = name ? [] : [where + ": no caption"];
    const loose = [...table.querySelectorAll("th")].filter((th) => !th.hasAttribute("scope"));
    if (loose.length) problems.push(where + ": " + loose.length + " th without scope");
    return problems;
  })"""


def reading_problems(page, where: str, selector: str = "main") -> list[str]:
    jumps = page.evaluate(READING_ORDER, selector)
    tables = page.evaluate(TABLES, selector)
    return [f"{where}: reading order {jump}" for jump in jumps] + [
        f"{where}: table {problem}" for problem in tables
    ]


def axe_problems(page, where: str) -> list[str]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    problems = []
    for violation in page.evaluate(RUN_AXE):
        if violation["impact"] not in BLOCKING:
            continue
        nodes = "\n      ".join(violation["nodes"][:8])
        problems.append(
            f"{where}: {violation['id']} ({violation['impact']}) {violation['help']}\n      {nodes}"
        )
    return problems


@pytest.fixture
def demo_city(transactional_db):
    seed_demo_city()


@pytest.fixture
def page(browser, live_server, transactional_db):
    """As conftest's page, in a context that lets axe's script in past the pages' CSP."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport={"width": 1366, "height": 768},
        bypass_csp=True,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("role", ROLES)
def test_no_serious_axe_violation_on_the_main_pages_and_forms(page, live_server, demo_city, role):
    sign_in(page, role)
    page.set_viewport_size({"width": 1366, "height": 768})
    problems = []
    for demo_page in pages_for(role):
        page.goto(demo_page.url)
        problems += axe_problems(page, f"{role} {demo_page.name}")
        if demo_page.name.startswith("report"):
            problems += reading_problems(page, f"{role} {demo_page.name}")
        # The header's menus, open.
        if demo_page.name == "home":
            for menu in ("nav-more",):
                if page.get_by_test_id(menu).count():
                    page.get_by_test_id(menu).locator("summary").click()
                    problems += axe_problems(page, f"{role} {demo_page.name} ({menu} open)")
            page.set_viewport_size({"width": 800, "height": 768})
            page.get_by_test_id("nav-compact").locator("summary").click()
            problems += axe_problems(page, f"{role} {demo_page.name} (800 px, menu open)")
            page.set_viewport_size({"width": 1366, "height": 768})
    if role == "postal_worker":
        page.goto(f"/tiep-nhan/?procedure={intake_procedure().code}")
        page.get_by_role("button", name="Lưu và in giấy tiếp nhận").click()
        expect(page.locator(".errorlist").first).to_be_visible()
        problems += axe_problems(page, f"{role} intake form with errors")
        page.get_by_label("Họ và tên người nộp").fill("Lê Thị Thu Trang")
        page.get_by_label("Số CCCD").fill("074190001234")
        page.get_by_label("Số điện thoại").fill("0912345678")
        page.get_by_label("Địa chỉ").fill("12 Yersin, khu phố 3, phường Phú Hòa")
        page.get_by_role("button", name="Lưu và in giấy tiếp nhận").click()
        expect(page.get_by_test_id("receipt")).to_be_visible()
        problems += axe_problems(page, f"{role} receipt")
        problems += reading_problems(page, f"{role} receipt", "[data-testid='receipt']")
    if role == "chief":
        page.goto(f"/bao-cao/phuong/{USERNAMES[role].split('.')[1]}/so-theo-doi/")
        problems += axe_problems(page, f"{role} logbook")
        problems += reading_problems(page, f"{role} logbook")
    assert not problems, "\n".join(problems)
