"""The chip ID card's QR in Chromium: a 2D scanner types the payload and Enter into a field."""

import re

import pytest
from playwright.sync_api import expect

from intake.models import Dossier
from intake.services import dossier_receive, dossier_step
from tests.intake.factories import ProcedureFactory
from tests.onestop.factories import PASSWORD, UserFactory
from tests.wards.factories import CityFactory, CounterFactory, WardFactory

pytestmark = pytest.mark.browser

ID = "074188004321"
ADDRESS = "15 Huỳnh Văn Lũy, khu phố 2, phường Phú Lợi, Thủ Dầu Một, Bình Dương"
# A newer card: further empty parts after the issue date.
PAYLOAD = f"{ID}|280765432|Lê Thị Thu Hà|09111988|Nữ|{ADDRESS}|14062021||"
WRONG_SEX = PAYLOAD.replace("|Nữ|", "|Nam|")


@pytest.fixture
def counter(transactional_db, settings):
    settings.INTAKE_RULES = []
    city = CityFactory(name="Thủ Dầu Một", slug="thudaumot", code="718")
    ward = WardFactory(city=city, name="Phú Hòa", slug="phuhoa", unit_identifier="000.00.12.H13")
    CounterFactory(ward=ward, number=1, name="Quầy Bưu điện")
    return {
        "procedure": ProcedureFactory(code="1.001193", name="Đăng ký khai sinh", processing_days=3),
        "postal": UserFactory(username="postal.phuhoa", postal_worker=True, ward=ward),
        "officer": UserFactory(username="officer.phuhoa", officer=True, ward=ward),
    }


@pytest.fixture
def requests_sent(page):
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def scan(page, payload: str):
    page.keyboard.type(payload)
    page.keyboard.press("Enter")


def active_name(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.name")


def expect_filled(page):
    expect(page.locator("#id_applicant_id_number")).to_have_value(ID)
    expect(page.locator("#id_applicant_name")).to_have_value("Lê Thị Thu Hà")
    expect(page.locator("#id_birth_year")).to_have_value("1988")
    expect(page.locator("#id_applicant_address")).to_have_value(ADDRESS)


def expect_not_submitted(page):
    expect(page).to_have_url(re.compile(r"/tiep-nhan/$"))
    expect(page.locator("#form-errors")).to_have_count(0)  # a save would have come back refused
    assert not Dossier.objects.exists()


def test_a_card_scanned_into_the_name_field_fills_the_applicant(
    page, log_in, counter, requests_sent
):
    log_in("postal.phuhoa", PASSWORD)
    page.goto("/tiep-nhan/")
    page.locator("#id_applicant_name").click()
    scan(page, PAYLOAD)

    notice = page.locator("#card-notice")
    expect(notice).to_contain_text(
        "Đã điền từ thẻ CCCD: Họ và tên người nộp, Số CCCD, Năm sinh, Địa chỉ."
    )
    expect_filled(page)
    expect_not_submitted(page)
    # The notice sits next to the ID field; the cursor moved on to the first field still empty.
    expect(page.locator(".field", has=page.locator("#id_applicant_id_number"))).to_contain_text(
        "Đã điền từ thẻ CCCD"
    )
    assert active_name(page) == "applicant_phone"
    # The payload went to the server in a POST body only, never in an address.
    assert not [url for url in requests_sent if ID in url]


def test_a_card_scanned_into_the_id_field_leaves_only_the_number(page, log_in, counter):
    log_in("postal.phuhoa", PASSWORD)
    page.goto("/tiep-nhan/")
    page.locator("#id_applicant_id_number").click()
    scan(page, PAYLOAD)

    expect(page.locator("#card-notice")).to_contain_text("Đã điền từ thẻ CCCD")
    expect_filled(page)
    expect_not_submitted(page)
    assert active_name(page) == "applicant_phone"


def test_a_card_whose_parts_disagree_is_said_next_to_the_id_field(page, log_in, counter):
    log_in("postal.phuhoa", PASSWORD)
    page.goto("/tiep-nhan/")
    page.locator("#id_applicant_id_number").click()
    scan(page, WRONG_SEX)

    notice = page.locator("#card-notice")
    expect(notice).to_contain_text("Giới tính không khớp")
    expect(notice).to_have_class(re.compile(r"errorlist"))
    expect(page.locator("#id_applicant_id_number")).to_have_value(ID)
    expect_not_submitted(page)


def test_plain_typing_and_enter_still_save(page, log_in, counter):
    # Without a payload, Enter in a field keeps its meaning: save (refused here, nothing chosen).
    log_in("postal.phuhoa", PASSWORD)
    page.goto("/tiep-nhan/")
    page.locator("#id_applicant_name").click()
    page.keyboard.type("Lê Thị Thu Hà")
    page.keyboard.press("Enter")
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.locator("#id_applicant_name")).to_have_value("Lê Thị Thu Hà")


def test_the_collectors_card_at_the_return(page, log_in, counter):
    officer = counter["officer"]
    dossier = dossier_receive(
        user=officer,
        procedure=counter["procedure"],
        channel=1,
        applicant_name="Lê Thị Thu Hà",
        applicant_id_number=ID,
        applicant_phone="0912345678",
        applicant_address=ADDRESS,
    ).dossier
    for action in ("transfer", "resolve"):
        dossier_step(user=officer, code=dossier.code, action=action)

    log_in("postal.phuhoa", PASSWORD)
    page.goto(f"/tra-ket-qua/?code={dossier.code}")
    collector = page.locator("#id_collector_id_number")
    collector.click()
    scan(page, PAYLOAD)

    expect(page.locator("#card-notice")).to_contain_text("Đã điền từ thẻ CCCD")
    expect(collector).to_have_value(ID)
    assert active_name(page) == "note"
    dossier.refresh_from_db()
    assert dossier.returned_at is None  # the Enter did not record the hand-over


def test_a_card_scanned_into_the_search_box_is_never_searched_for(
    page, log_in, counter, requests_sent
):
    # The procedure search sends what is typed as the user types; a payload must not go out.
    log_in("postal.phuhoa", PASSWORD)
    page.goto("/tiep-nhan/")
    page.locator("#id_q").click()
    scan(page, PAYLOAD)

    expect(page.locator("#card-notice")).to_contain_text("Đã điền từ thẻ CCCD")
    expect_filled(page)
    expect(page.locator("#id_q")).to_have_value("")
    page.wait_for_timeout(500)  # past the search's 250 ms delay
    expect_not_submitted(page)
    # (Digits alone may go out as a search if the scanner pauses; nothing after the first "|".)
    assert not [url for url in requests_sent if "%7C" in url or "|" in url]
