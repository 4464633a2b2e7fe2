"""The citizen's evaluation in Chromium: a worker returns a dossier and invites the evaluation,
the counter's tablet shows the form within seconds, the citizen answers, the dossier's timeline
shows it."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from hall.models import Device, Evaluation
from hall.services import device_create
from intake.models import Dossier
from tests.e2e.test_hall import device_page, screenshot
from tests.intake.factories import DossierFactory, ProcedureFactory
from tests.onestop.factories import PASSWORD, UserFactory
from tests.wards.factories import CityFactory, CounterFactory, WardFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def counter(transactional_db):
    city = CityFactory(name="Thủ Dầu Một", slug="thudaumot", code="718")
    ward = WardFactory(city=city, name="Phú Hòa", slug="phuhoa")
    desk = CounterFactory(ward=ward, number=1, name="Quầy Bưu điện")
    chief = UserFactory(username="chief.phuhoa", chief=True, ward=ward)
    UserFactory(username="postal.phuhoa", postal_worker=True, ward=ward)
    procedure = ProcedureFactory(code="1.001193", name="Thủ tục đăng ký khai sinh")
    dossier = DossierFactory(
        ward=ward, procedure=procedure, result_ready=True, applicant_id_number="074190001234"
    )
    tablet = device_create(
        user=chief, kind=Device.Kind.EVALUATION, name="Máy tính bảng quầy 1", counter=desk
    )
    return {"dossier": dossier, "tablet": tablet}


def test_return_invite_and_evaluate_on_the_tablet(counter, browser, live_server, page, log_in):
    dossier = counter["dossier"]
    tablet = device_page(browser, live_server, counter["tablet"], width=1280, height=800)
    expect(tablet.get_by_test_id("tablet-idle")).to_be_visible()

    log_in("postal.phuhoa", PASSWORD)
    page.goto(reverse("intake:return"))
    box = page.get_by_label("Mã hồ sơ (gõ hoặc quét mã trên giấy tiếp nhận)")
    box.fill(dossier.code)
    box.press("Enter")
    page.get_by_label("Số CCCD của người nhận kết quả").fill("074190001234")
    page.get_by_role("button", name="Ghi nhận đã trả kết quả").click()
    expect(page.get_by_role("status")).to_contain_text(f"Đã trả kết quả hồ sơ {dossier.code}.")

    page.goto(reverse("intake:dossier-detail", args=[dossier.code]))
    page.get_by_role("button", name="Mời công dân đánh giá").click()
    expect(page.get_by_role("status").first).to_contain_text("Đã mời công dân đánh giá")

    # The tablet's poll picks the invitation up and shows the form: code and procedure only.
    form = tablet.get_by_test_id("tablet-form")
    expect(form).to_be_visible(timeout=8_000)
    expect(form).to_contain_text(dossier.code)
    expect(form).to_contain_text("Thủ tục đăng ký khai sinh")
    expect(form).not_to_contain_text(dossier.applicant_name)
    tablet.get_by_label("Rất hài lòng", exact=True).check()
    tablet.get_by_test_id("eval-contacts").get_by_label("2 điểm").check()
    tablet.get_by_test_id("eval-attitude").get_by_label("2 điểm").check()
    tablet.evaluate("window.scrollTo(0, 0)")
    screenshot(tablet, "hall-evaluation.png")
    tablet.get_by_test_id("eval-submit").click()
    expect(tablet.get_by_test_id("eval-thanks")).to_be_visible()

    evaluation = Evaluation.objects.get(dossier__code=dossier.code)
    assert (evaluation.channel, evaluation.satisfaction, evaluation.contacts) == ("tablet", 5, 2)
    assert Dossier.objects.get(pk=dossier.pk).satisfaction == 5

    page.reload()
    timeline = page.get_by_test_id("timeline")
    expect(timeline.locator('tr[data-action="citizen_rating"]')).to_contain_text(
        "Công dân đánh giá"
    )
    expect(page.get_by_role("button", name="Mời công dân đánh giá")).to_have_count(0)
    # The thanks go back to waiting by themselves.
    expect(tablet.get_by_test_id("tablet-idle")).to_be_visible(timeout=15_000)
