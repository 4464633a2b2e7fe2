"""A result delivered by post, in Chromium: the worker sends it (price shown before confirming),
prints the day's hand-over list for the courier, and records the delivery."""

import re

import pytest
from playwright.sync_api import expect

from intake.models import Dossier, ReturnMethod, Status
from postal.deliveries.models import Delivery, DeliveryStatus
from tests.intake.factories import DossierFactory, ProcedureFactory
from tests.onestop.factories import PASSWORD, UserFactory
from tests.wards.factories import CityFactory, CounterFactory, WardFactory

pytestmark = pytest.mark.browser

WAYBILL = "EL123456785VN"


@pytest.fixture
def ready(transactional_db):
    city = CityFactory(name="Thủ Dầu Một", slug="thudaumot", code="718")
    ward = WardFactory(city=city, name="Phú Hòa", slug="phuhoa", unit_identifier="000.00.12.H13")
    CounterFactory(ward=ward, number=1, name="Quầy Bưu điện")
    worker = UserFactory(
        username="postal.phuhoa", last_name="Nguyễn Thị", first_name="Hoa", ward=ward
    )
    procedure = ProcedureFactory(name="Thủ tục đăng ký khai sinh", fee=0)
    return DossierFactory(
        ward=ward,
        procedure=procedure,
        result_ready=True,
        received_by=worker,
        applicant_name="Lê Thị Thu",
        applicant_phone="0912345678",
        applicant_address="12/3 Yersin, khu phố 2, phường Phú Cường, thành phố Thủ Dầu Một",
    )


def test_a_result_sent_by_post_handed_over_and_delivered(page, log_in, ready):
    # window.print opens no dialog in a headless browser: count the calls instead.
    page.add_init_script("window.print = () => { window.__printed = (window.__printed || 0) + 1; }")
    log_in("postal.phuhoa", PASSWORD)

    # From the dossier, "send by post": the form starts from the applicant's address.
    page.goto(f"/ho-so/{ready.code}/")
    page.get_by_test_id("go-send-by-post").click()
    expect(page.get_by_role("heading", name="Gửi kết quả qua bưu điện")).to_be_visible()
    expect(page.get_by_label("Họ tên người nhận")).to_have_value("Lê Thị Thu")
    expect(page.get_by_label("Số nhà, đường, khu phố")).to_have_value("12/3 Yersin, khu phố 2")
    expect(page.get_by_label("Phường, xã")).to_have_value("phường Phú Cường")
    page.get_by_label("Mã bưu gửi").fill("el 12345678 5vn")

    # The price is shown before anything is written.
    page.get_by_test_id("preview-send").click()
    expect(page.get_by_test_id("quote-fee")).to_have_text(re.compile(r"26[.,]000 đ"))
    expect(page.get_by_test_id("quote-zone")).to_have_text("Nội thành phố")
    assert not Delivery.objects.exists()
    page.get_by_test_id("confirm-send").click()

    expect(page.get_by_test_id("waybill")).to_have_text(WAYBILL)
    expect(page.get_by_test_id("fee")).to_have_text(re.compile(r"26[.,]000 đ"))
    assert Dossier.objects.get(pk=ready.pk).status == Status.IN_DELIVERY

    # The day's hand-over list, printed on A4 for the courier to sign.
    # For a postal worker the post's pages sit in the header's "Thêm" group.
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    nav.get_by_test_id("nav-more").locator("summary").click()
    nav.get_by_role("link", name="Chuyển phát").click()
    page.get_by_test_id("go-handover").click()
    sheet = page.get_by_test_id("handover-sheet")
    expect(sheet).to_contain_text(WAYBILL)
    expect(sheet).to_contain_text(ready.code)
    expect(sheet).to_contain_text("12/3 Yersin, khu phố 2, phường Phú Cường")
    expect(sheet).to_contain_text("BÊN NHẬN")
    page.get_by_test_id("print-handover").click()
    assert page.evaluate("window.__printed") == 1
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_test_id("print-handover")).to_be_hidden()
    pdf = page.pdf(prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF-")
    page.emulate_media(media="screen")
    page.get_by_test_id("confirm-handover").click()
    expect(page.locator(".messages")).to_contain_text("Đã bàn giao 1 bưu gửi")
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.HANDED_TO_POST

    # The courier reports back: delivered; the dossier is returned by post.
    page.get_by_role("link", name="Chuyển phát").first.click()
    page.get_by_role("link", name=WAYBILL).click()
    page.get_by_test_id("step-in_transit").get_by_role("button").click()
    expect(page.locator(".messages")).to_contain_text("Đang phát")
    page.get_by_test_id("step-delivered").get_by_role("button").click()
    expect(page.locator(".messages")).to_contain_text("Đã phát thành công")
    expect(page.get_by_test_id("delivery-history")).to_contain_text("Đã phát thành công")

    dossier = Dossier.objects.get(pk=ready.pk)
    assert (dossier.status, dossier.return_method) == (Status.RETURNED, ReturnMethod.POST)
    page.goto(f"/ho-so/{ready.code}/")
    expect(page.get_by_test_id("timeline")).to_contain_text("Đã phát kết quả")
