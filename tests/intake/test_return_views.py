"""The result return page: find by code or scan, check the collector, record the hand-over."""

import datetime as dt
import re
import shutil
import subprocess
import uuid

import pytest
from django.urls import reverse

from intake.models import DossierEvent, PersonalDataAccess, ReturnMethod, Status
from intake.services import StepInput, dossier_receive, dossier_step
from onestop import clock
from wards.calendar import VIETNAM_TZ

URL = reverse("intake:return")


@pytest.fixture(autouse=True)
def _no_intake_rules(settings):
    settings.INTAKE_RULES = []


@pytest.fixture
def w(world):
    from tests.intake.factories import ProcedureFactory

    world.procedure = ProcedureFactory(name="Cấp bản sao trích lục hộ tịch", fee=8000)
    return world


def receive(world, *, user=None):
    return dossier_receive(
        user=user or world.officer,
        procedure=world.procedure,
        channel=1,
        applicant_name="Phạm Thị Hồng",
        applicant_id_number="074190001234",
        applicant_phone="0912345678",
        applicant_address="3 Cách Mạng Tháng Tám, Phú Hòa",
    ).dossier


def ready(world, *, user=None):
    dossier = receive(world, user=user)
    officer = world.officer if user is None else user
    for action in ("transfer", "resolve"):
        dossier = dossier_step(user=officer, code=dossier.code, action=action)
    return dossier


def record(client, dossier, **data):
    data = {
        "code": dossier.code,
        "request_id": str(uuid.uuid4()),
        "collector_id_number": "074190001234",
        "note": "",
        "satisfaction": "",
        **data,
    }
    return client.post(URL, data)


def returns(dossier) -> int:
    return DossierEvent.objects.filter(dossier=dossier, action="return").count()


def test_the_page_waits_for_a_code_with_focus_on_the_box(w, client):
    client.force_login(w.postal_worker)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="code"' in html and "autofocus" in html
    assert "Trả kết quả tại quầy" in html


def test_a_ready_dossier_shows_its_summary_and_the_form(w, client):
    dossier = ready(w)
    client.force_login(w.postal_worker)
    response = client.get(URL, {"code": dossier.code})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="return-summary"' in html
    assert "Phạm Thị Hồng" in html and "•••••••••234" in html
    assert "074190001234" not in html
    assert 'data-testid="return-form"' in html
    assert 'name="collector_id_number"' in html
    for level in (
        "Rất hài lòng",
        "Hài lòng",
        "Bình thường",
        "Không hài lòng",
        "Rất không hài lòng",
    ):
        assert level in html
    assert html.count('type="radio" name="satisfaction"') == 6  # five levels and "no rating"


def test_a_scanner_may_send_spaces_lower_case_or_a_link(w, client):
    dossier = ready(w)
    client.force_login(w.officer)
    for typed in (f"  {dossier.code.lower()}  ", f"https://x.example/tra-cuu/?code={dossier.code}"):
        response = client.get(URL, {"code": typed})
        assert 'data-testid="return-form"' in response.content.decode()


@pytest.mark.parametrize("who", ["unknown", "other_ward"])
def test_unknown_and_other_ward_codes_get_the_same_answer(w, client, who):
    client.force_login(w.postal_worker)
    unknown = "000.00.99.H13-260101-0001"
    code = unknown if who == "unknown" else ready(w, user=w.other_officer).code
    response = client.get(URL, {"code": code})
    assert response.status_code == 404
    html = response.content.decode()
    assert f"Không tìm thấy hồ sơ {code} trong phường của bạn." in html
    assert 'data-testid="return-summary"' not in html
    assert 'data-testid="return-form"' not in html


def test_a_dossier_not_ready_says_its_status(w, client):
    dossier = receive(w)
    client.force_login(w.postal_worker)
    response = client.get(URL, {"code": dossier.code})
    assert response.status_code == 200
    html = response.content.decode()
    assert "chưa có kết quả để trả: trạng thái hiện tại là “Đã tiếp nhận”" in html
    assert 'data-testid="return-form"' not in html


def test_an_empty_code_asks_for_one(w, client):
    client.force_login(w.postal_worker)
    response = client.get(URL, {"code": "  "})
    assert response.status_code == 400
    assert "Nhập hoặc quét mã hồ sơ." in response.content.decode()


def test_returning_to_the_applicant_with_a_rating(w, client):
    dossier = ready(w)
    client.force_login(w.postal_worker)
    response = record(client, dossier, satisfaction="5")
    assert response.status_code == 302
    assert response["Location"] == URL
    page = client.get(URL).content.decode()
    assert f"Đã trả kết quả hồ sơ {dossier.code}." in page
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED
    assert dossier.returned_by == w.postal_worker
    assert dossier.return_method == ReturnMethod.COUNTER
    assert dossier.satisfaction == 5
    assert returns(dossier) == 1


def test_returning_without_a_rating(w, client):
    dossier = ready(w)
    client.force_login(w.chief)
    assert record(client, dossier).status_code == 302
    dossier.refresh_from_db()
    assert (dossier.status, dossier.satisfaction) == (Status.RETURNED, None)


def test_someone_else_collecting_needs_a_note_and_typed_values_stay(w, client):
    dossier = ready(w)
    client.force_login(w.postal_worker)
    response = record(client, dossier, collector_id_number="074088004321", satisfaction="4")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Số CCCD không khớp người nộp hồ sơ." in html
    assert 'value="074088004321"' in html
    assert re.search(r'name="satisfaction" value="4"[^>]*checked', html)
    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_READY
    assert returns(dossier) == 0

    note = "Nhận thay: Phạm Văn Nam, giấy ủy quyền số 12/UQ ngày 01/03/2026"
    assert record(client, dossier, collector_id_number="074088004321", note=note).status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED
    assert DossierEvent.objects.get(dossier=dossier, action="return").note == note


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("collector_id_number", "", "Nhập số CCCD của người nhận kết quả."),
        ("collector_id_number", "07419000123X", "Số CCCD gồm 12 chữ số"),
        ("satisfaction", "9", "lựa chọn hợp lệ"),
    ],
)
def test_invalid_input_changes_nothing(w, client, field, value, message):
    dossier = ready(w)
    client.force_login(w.officer)
    response = record(client, dossier, **{field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_READY


def test_a_double_submit_returns_once(w, client):
    dossier = ready(w)
    client.force_login(w.postal_worker)
    request_id = str(uuid.uuid4())
    assert record(client, dossier, request_id=request_id).status_code == 302
    assert record(client, dossier, request_id=request_id).status_code == 302
    assert returns(dossier) == 1


def test_returning_twice_is_a_conflict(w, client):
    dossier = ready(w)
    dossier_step(
        user=w.officer,
        code=dossier.code,
        action="return",
        details=StepInput(collector_id_number="074190001234"),
    )
    client.force_login(w.postal_worker)
    response = record(client, dossier)
    assert response.status_code == 409
    assert "Đã trả kết quả" in response.content.decode()
    assert returns(dossier) == 1


def test_posting_another_wards_code_is_not_found(w, client):
    dossier = ready(w, user=w.other_officer)
    client.force_login(w.postal_worker)
    response = record(client, dossier)
    assert response.status_code == 404
    assert "Không tìm thấy hồ sơ" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_READY


def test_city_admins_do_not_return_results(w, client):
    dossier = ready(w)
    client.force_login(w.city_admin)
    assert client.get(URL).status_code == 403
    assert record(client, dossier).status_code == 403
    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_READY


def test_the_detail_page_links_a_ready_dossier_to_the_return_page(w, client):
    dossier = ready(w)
    client.force_login(w.postal_worker)
    html = client.get(reverse("intake:dossier-detail", kwargs={"code": dossier.code})).content
    assert f'href="{URL}?code={dossier.code}"'.encode() in html


def test_return_page_query_count(w, client, django_assert_max_num_queries):
    dossier = ready(w)
    client.force_login(w.postal_worker)
    with django_assert_max_num_queries(8):  # one logs the personal-data access
        client.get(URL, {"code": dossier.code})


# --- the hand-over slip ----------------------------------------------------------------------

HANDOVER = "intake:dossier-handover-slip"


def _pdf_text(content: bytes) -> str:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(  # noqa: S603 (a fixed local tool reading our own PDF)
        [pdftotext, "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def test_the_return_links_to_a_hand_over_slip_the_collector_signs(w, client):
    w.postal_worker.last_name, w.postal_worker.first_name = "Nguyễn Thị", "Hoa"
    w.postal_worker.save()
    dossier = ready(w)
    client.force_login(w.postal_worker)
    moment = dt.datetime(2026, 3, 17, 14, 5, tzinfo=VIETNAM_TZ)
    with clock.frozen_at(moment):
        record(client, dossier, satisfaction="5")
    page = client.get(URL).content.decode()
    url = reverse(HANDOVER, kwargs={"code": dossier.code})
    assert f'href="{url}" data-testid="handover-link"' in page
    html = client.get(url).content.decode()
    assert "PHIẾU BÀN GIAO KẾT QUẢ GIẢI QUYẾT HỒ SƠ" in html
    assert "Mẫu số" not in html
    assert "Cấp bản sao trích lục hộ tịch" in html and dossier.code in html
    assert "Người nhận kết quả: Ông/Bà <strong>Phạm Thị Hồng</strong>, người nộp hồ sơ." in html
    assert "khớp số của người nộp hồ sơ (•••••••••234)" in html
    assert "074190001234" not in html
    assert "Thời điểm bàn giao: 14:05, ngày 17/03/2026." in html
    assert "Người bàn giao: Nguyễn Thị Hoa (Nhân viên bưu điện)" in html
    assert "NGƯỜI NHẬN KẾT QUẢ" in html and "(Ký và ghi rõ họ tên)" in html
    # The dossier's page offers it beside the other slips; the access is logged.
    assert url in client.get(reverse("intake:dossier-detail", args=[dossier.code])).content.decode()
    assert PersonalDataAccess.objects.filter(dossier=dossier, params__view="ban-giao").exists()

    pdf = client.get(url, {"pdf": "1"})
    assert f'filename="ban-giao-{dossier.code}.pdf"' in pdf["Content-Disposition"]
    text = _pdf_text(pdf.content)
    assert "PHIẾU BÀN GIAO KẾT QUẢ GIẢI QUYẾT HỒ SƠ" in text
    assert "Phạm Thị Hồng" in text


def test_the_slip_names_a_proxy_collector_and_the_authorisation(w, client):
    dossier = ready(w)
    client.force_login(w.postal_worker)
    note = "Nhận thay: Phạm Văn Nam, giấy ủy quyền số 12/UQ ngày 01/03/2026"
    record(client, dossier, collector_id_number="074088004321", note=note)
    html = client.get(reverse(HANDOVER, kwargs={"code": dossier.code})).content.decode()
    assert "người nhận thay người nộp hồ sơ" in html
    assert note in html
    assert "khác số của người nộp hồ sơ" in html
    assert "người nộp hồ sơ (•" not in html
    event = DossierEvent.objects.get(dossier=dossier, action="return")
    assert event.to_unit == "Người nhận thay"  # Mẫu 05 says so too


@pytest.mark.parametrize(
    ("received", "unit"),
    [
        (dt.datetime(2025, 6, 30, 9, 0, tzinfo=VIETNAM_TZ), "Bộ phận một cửa {ward}"),
        (
            dt.datetime(2025, 7, 1, 9, 0, tzinfo=VIETNAM_TZ),
            "Trung tâm phục vụ hành chính công {ward}",
        ),
    ],
)
def test_the_slip_names_the_unit_of_the_dossiers_edition(w, client, received, unit):
    with clock.frozen_at(received):
        dossier = ready(w)
    client.force_login(w.officer)
    record(client, dossier)
    html = client.get(reverse(HANDOVER, kwargs={"code": dossier.code})).content.decode()
    unit = unit.format(ward=w.ward)
    assert f'<div class="strong">{unit.upper()}</div>' in html
    assert f"{unit} bàn giao kết quả giải quyết hồ sơ:" in html


def test_no_hand_over_slip_before_the_return_or_for_another_ward(w, client):
    dossier = ready(w)
    client.force_login(w.officer)
    url = reverse(HANDOVER, kwargs={"code": dossier.code})
    assert client.get(url).status_code == 404
    assert (
        url
        not in client.get(reverse("intake:dossier-detail", args=[dossier.code])).content.decode()
    )
    record(client, dossier)
    assert client.get(url).status_code == 200
    client.force_login(w.other_officer)
    assert client.get(url).status_code == 404
