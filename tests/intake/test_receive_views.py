"""The intake form (/tiep-nhan/), its htmx helpers, and the receipt (Mẫu 01) page and PDF."""

import datetime as dt
import re
import shutil
import subprocess
import uuid

import pytest
from django.core.cache import cache
from django.urls import reverse

from intake import receipts
from intake.models import Channel, Dossier, DossierEvent
from intake.receipts import SESSION_PDF_PINS, SESSION_PINS, qr_data_uri
from intake.selectors import IntakeOffer
from intake.services import dossier_receive, lookup_pin_matches
from onestop import clock
from onestop.errors import NotAllowed
from tests.intake.factories import ProcedureFactory
from tests.wards.factories import CounterFactory
from wards.calendar import VIETNAM_TZ

RECEIVE = reverse("intake:receive")
PIN = re.compile(r'data-testid="lookup-pin">(\d{6})<')
# Monday 16/03/2026, 09:00 in Thủ Dầu Một: a plain working morning.
MONDAY_9 = dt.datetime(2026, 3, 16, 9, 0, tzinfo=VIETNAM_TZ)


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def procedure(db):
    return ProcedureFactory(
        code="1.004873",
        name="Cấp Giấy xác nhận tình trạng hôn nhân",
        processing_days=3,
        components=[
            {"name": "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", "originals": 1, "copies": 0},
            {"name": "Giấy tờ chứng minh tình trạng hôn nhân", "originals": 0, "copies": 1},
        ],
    )


def form_data(world, procedure, **overrides) -> dict:
    data = {
        "request_id": str(uuid.uuid4()),
        "q": "",
        "procedure": procedure.code,
        "sets": "1",
        "applicant_name": "Nguyễn Thị Mai",
        "applicant_id_number": "074190001234",
        "birth_year": "1990",
        "applicant_phone": "0912 345 678",
        "applicant_address": "12 Yersin, khu phố 3, phường Phú Hòa",
        "applicant_email": "",
        "channel": "1",
        "counter": str(world.officer_counter.pk),
        "notes": "",
        "components-TOTAL_FORMS": "3",
        "components-INITIAL_FORMS": "0",
        "components-MIN_NUM_FORMS": "0",
        "components-MAX_NUM_FORMS": "60",
        "components-0-included": "on",
        "components-0-name": "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân",
        "components-0-originals": "1",
        "components-0-copies": "0",
        "components-0-free": "False",
        "components-1-included": "on",
        "components-1-name": "Giấy tờ chứng minh tình trạng hôn nhân",
        "components-1-originals": "0",
        "components-1-copies": "2",
        "components-1-free": "False",
        "components-2-name": "Giấy ủy quyền",
        "components-2-originals": "1",
        "components-2-copies": "0",
        "components-2-free": "True",
    }
    data.update(overrides)
    return data


# --- the form -----------------------------------------------------------------------------


def test_form_offers_search_with_autofocus_and_a_fresh_request_id(world, procedure, client):
    client.force_login(world.officer)
    response = client.get(RECEIVE)
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<input type="search" id="id_q" name="q"[^>]*autofocus', html)
    ids = re.findall(r'name="request_id" value="([0-9a-f-]{36})"', html)
    assert len(ids) == 1
    again = client.get(RECEIVE).content.decode()
    assert ids[0] not in again  # every rendering gets its own
    assert procedure.name in html  # the plain <select> lists the catalogue without JavaScript
    assert 'hx-get="/tiep-nhan/thu-tuc/"' in html


@pytest.mark.parametrize(
    ("role", "counter"), [("officer", "officer_counter"), ("postal_worker", "postal_counter")]
)
def test_counter_defaults_to_the_kind_matching_the_role(world, client, role, counter):
    client.force_login(getattr(world, role))
    response = client.get(RECEIVE)
    form = response.context["form"]
    assert form.initial["counter"] == getattr(world, counter).pk
    assert set(form.counters) == {world.postal_counter, world.officer_counter}


def test_counter_list_leaves_out_inactive_counters_and_other_wards(world, client):
    closed = CounterFactory(ward=world.ward, number=9, active=False)
    client.force_login(world.officer)
    choices = set(client.get(RECEIVE).context["form"].counters)
    assert closed not in choices
    assert world.other_counter not in choices


def test_city_admin_may_not_receive(world, client):
    client.force_login(world.city_admin)
    assert client.get(RECEIVE).status_code == 403


def test_procedure_search_ignores_diacritics_and_matches_codes(world, client):
    birth = ProcedureFactory(code="1.001193", name="Đăng ký khai sinh")
    death = ProcedureFactory(code="1.000656", name="Đăng ký khai tử")
    client.force_login(world.postal_worker)
    url = reverse("intake:receive-procedures")

    html = client.get(url, {"q": "dang ky khai sinh"}).content.decode()
    assert birth.name in html and death.name not in html

    html = client.get(url, {"q": "KHAI TỬ"}).content.decode()
    assert death.name in html and birth.name not in html

    html = client.get(url, {"q": "1.001193"}).content.decode()
    assert birth.name in html and death.name not in html

    html = client.get(url, {"q": "không có thủ tục này"}).content.decode()
    assert "Không có thủ tục nào phù hợp" in html


def test_procedure_search_keeps_the_chosen_procedure_listed(world, client):
    birth = ProcedureFactory(code="1.001193", name="Đăng ký khai sinh")
    ProcedureFactory(code="1.000656", name="Đăng ký khai tử")
    client.force_login(world.officer)
    html = client.get(
        reverse("intake:receive-procedures"), {"q": "khai tu", "procedure": birth.code}
    ).content.decode()
    assert f'<option value="{birth.code}" selected>' in html


def test_withdrawn_procedures_are_not_offered(world, client):
    old = ProcedureFactory(name="Thủ tục đã bãi bỏ", active=False)
    client.force_login(world.officer)
    html = client.get(reverse("intake:receive-procedures"), {"q": "bai bo"}).content.decode()
    assert old.name not in html


def test_choosing_a_procedure_shows_its_checklist_and_appointment(world, procedure, client):
    client.force_login(world.officer)
    with clock.frozen_at(MONDAY_9):
        response = client.get(reverse("intake:receive-procedure"), {"procedure": procedure.code})
    html = response.content.decode()
    assert "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân" in html
    assert 'name="components-TOTAL_FORMS" value="4"' in html  # 2 from the catalogue + 2 blank
    assert 'name="components-1-copies" value="1"' in html
    assert 'name="sets"' in html
    # Monday 09:00 + 3 working days -> Thursday 09:00
    assert "09:00 Thứ 5, 19/03/2026" in html


def test_a_procedure_without_catalogue_components_gets_blank_lines(world, client):
    bare = ProcedureFactory(components=[])
    client.force_login(world.officer)
    html = client.get(
        reverse("intake:receive-procedure"), {"procedure": bare.code}
    ).content.decode()
    assert 'name="components-TOTAL_FORMS" value="4"' in html
    assert html.count('placeholder="Giấy tờ khác (nếu có)"') == 4


@pytest.mark.parametrize(
    ("received", "days", "expected"),
    [
        # Monday 09:00 + 3 working days -> Thursday 09:00
        (MONDAY_9, 3, "09:00 Thứ 5, 19/03/2026"),
        # Friday 16:00 + 2 working days -> Tuesday 16:00
        (dt.datetime(2026, 3, 20, 16, 0, tzinfo=VIETNAM_TZ), 2, "16:00 Thứ 3, 24/03/2026"),
        # Same-day procedure on Monday 15:30 (after 15:00) -> Tuesday 17:00
        (dt.datetime(2026, 3, 16, 15, 30, tzinfo=VIETNAM_TZ), 0, "17:00 Thứ 3, 17/03/2026"),
    ],
)
def test_appointment_preview(world, client, received, days, expected):
    chosen = ProcedureFactory(processing_days=days)
    client.force_login(world.postal_worker)
    with clock.frozen_at(received):
        response = client.get(reverse("intake:receive-appointment"), {"procedure": chosen.code})
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_appointment_preview_follows_the_city_calendar(world, client):
    from tests.wards.factories import CalendarExceptionFactory

    # The city gives Tuesday 17/03/2026 off: Monday 09:00 + 1 day -> Wednesday 09:00.
    CalendarExceptionFactory(city=world.city, date=dt.date(2026, 3, 17))
    chosen = ProcedureFactory(processing_days=1)
    client.force_login(world.officer)
    with clock.frozen_at(MONDAY_9):
        html = client.get(
            reverse("intake:receive-appointment"), {"procedure": chosen.code}
        ).content.decode()
    assert "09:00 Thứ 4, 18/03/2026" in html


def test_unverified_procedure_shows_no_date_and_is_refused(world, client):
    unverified = ProcedureFactory(unverified=True, name="Thủ tục chưa xác minh")
    client.force_login(world.officer)
    html = client.get(
        reverse("intake:receive-appointment"), {"procedure": unverified.code}
    ).content.decode()
    assert "chưa xác minh thời hạn" in html

    response = client.post(RECEIVE, form_data(world, unverified))
    assert response.status_code == 200
    assert "chưa xác minh thời hạn giải quyết" in response.content.decode()
    assert not Dossier.objects.exists()


def test_the_picker_and_the_panel_say_a_procedure_without_a_verified_term_cannot_be_received(
    world, procedure, client
):
    unverified = ProcedureFactory(unverified=True, name="Chứng thực chữ ký")
    client.force_login(world.officer)
    picker = client.get(reverse("intake:receive-procedures"), {"q": ""}).content.decode()
    option = re.search(rf'<option value="{unverified.code}"[^>]*>[^<]*</option>', picker).group()
    assert "data-blocked" in option
    assert "chưa xác minh thời hạn giải quyết" in option
    verified = re.search(rf'<option value="{procedure.code}"[^>]*>[^<]*</option>', picker).group()
    assert "data-blocked" not in verified
    panel = client.get(
        reverse("intake:receive-procedure"), {"procedure": unverified.code}
    ).content.decode()
    assert 'data-testid="procedure-blocked"' in panel
    assert "Chưa tiếp nhận được thủ tục này: chưa xác minh thời hạn giải quyết." in panel
    chosen = client.get(RECEIVE, {"procedure": procedure.code}).content.decode()
    assert 'data-testid="procedure-blocked"' not in chosen


def test_intake_shows_what_the_rules_would_answer_before_saving(world, procedure, client, settings):
    settings.INTAKE_OFFERS = ["tests.intake.test_receive_views.codes_ending_001_refused"]
    refused = ProcedureFactory(code="1.000001", name="Thủ tục mã lẻ")
    client.force_login(world.officer)
    page = client.get(RECEIVE).content.decode()
    assert '<p class="alert info" data-testid="intake-offer">Mã lẻ không tiếp nhận.</p>' in page
    option = re.search(r'<option value="1.000001"[^>]*>[^<]*</option>', page).group()
    assert "data-blocked" in option
    assert "mã lẻ" in option
    assert "data-blocked" not in re.search(r'<option value="1.004873"[^>]*>', page).group()
    panel = client.get(reverse("intake:receive-procedure"), {"procedure": refused.code})
    assert "Chưa tiếp nhận được thủ tục này: mã lẻ." in panel.content.decode()


def codes_ending_001_refused(*, user, procedures, at):
    """An offer for the test above: procedures whose code ends in 001 are refused."""
    odd = {p.pk for p in procedures if p.code.endswith("001")}
    return IntakeOffer(
        summary="Mã lẻ không tiếp nhận.",
        marks=dict.fromkeys(odd, "mã lẻ"),
        refused=frozenset(odd),
    )


# --- saving ---------------------------------------------------------------------------------


def test_saving_receives_the_dossier_and_shows_the_pin_once(world, procedure, client):
    client.force_login(world.officer)
    data = form_data(world, procedure, applicant_email="mai@example.com", notes="Đủ giấy tờ")
    with clock.frozen_at(MONDAY_9):
        response = client.post(RECEIVE, data)
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:receipt", kwargs={"code": dossier.code})
    assert dossier.applicant_phone == "0912345678"
    assert dossier.applicant_id_number == "074190001234"
    assert dossier.counter == world.officer_counter
    assert dossier.channel == Channel.DIRECT
    assert dossier.received_by == world.officer
    assert dossier.notes == "Đủ giấy tờ"
    assert dossier.components == [
        {"name": "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", "originals": 1, "copies": 0},
        {"name": "Giấy tờ chứng minh tình trạng hôn nhân", "originals": 0, "copies": 2},
        {"name": "Giấy ủy quyền", "originals": 1, "copies": 0},
    ]
    assert dossier.appointment_at == dt.datetime(2026, 3, 19, 9, 0, tzinfo=VIETNAM_TZ)

    first = client.get(response["Location"]).content.decode()
    pin = PIN.search(first).group(1)
    assert lookup_pin_matches(dossier, pin)
    assert pin not in dossier.lookup_pin_hash

    second = client.get(response["Location"]).content.decode()
    assert not PIN.search(second)
    assert "Mã tra cứu đã được in trên giấy biên nhận" in second
    assert client.session.get(SESSION_PINS) == {}


def test_the_session_never_holds_the_pin_in_clear(world, procedure, client):
    client.force_login(world.officer)
    client.post(RECEIVE, form_data(world, procedure))
    dossier = Dossier.objects.get()
    sealed = client.session[SESSION_PINS][dossier.code]
    pin = PIN.search(client.get(reverse("intake:receipt", args=[dossier.code])).content.decode())
    assert pin.group(1) not in sealed.split(":")[1]  # (a 1-in-10^6 coincidence aside)


def test_unchecked_catalogue_lines_and_empty_free_lines_are_left_out(world, procedure, client):
    client.force_login(world.officer)
    data = form_data(world, procedure)
    del data["components-0-included"]
    data["components-2-name"] = ""
    client.post(RECEIVE, data)
    assert Dossier.objects.get().components == [
        {"name": "Giấy tờ chứng minh tình trạng hôn nhân", "originals": 0, "copies": 2}
    ]


def test_a_dossier_needs_at_least_one_component(world, procedure, client):
    client.force_login(world.officer)
    data = form_data(world, procedure, **{"components-2-name": ""})
    del data["components-0-included"]
    data["components-1-included"] = ""
    response = client.post(RECEIVE, data)
    assert response.status_code == 200
    assert "Hồ sơ phải có ít nhất một thành phần." in response.content.decode()
    assert not Dossier.objects.exists()


def test_double_submit_with_the_same_request_id_makes_one_dossier(world, procedure, client):
    client.force_login(world.officer)
    data = form_data(world, procedure)
    first = client.post(RECEIVE, data)
    second = client.post(RECEIVE, data)
    assert Dossier.objects.count() == 1
    assert DossierEvent.objects.filter(request_id=data["request_id"]).count() == 1
    assert first["Location"] == second["Location"]
    # The PIN kept by the first save is not lost to the repeat.
    assert PIN.search(client.get(first["Location"]).content.decode())


def test_two_forms_make_two_dossiers(world, procedure, client):
    client.force_login(world.officer)
    client.post(RECEIVE, form_data(world, procedure))
    client.post(RECEIVE, form_data(world, procedure))
    assert Dossier.objects.count() == 2


def _assert_kept(html: str, data: dict, *fields):
    for field in fields:
        assert f'value="{data[field]}"' in html, field


def test_bad_citizen_id_keeps_every_value(world, procedure, client):
    client.force_login(world.officer)
    data = form_data(world, procedure, applicant_id_number="07419000123")
    response = client.post(RECEIVE, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Số CCCD phải gồm đúng 12 chữ số." in html
    assert "Hồ sơ chưa được lưu." in html
    _assert_kept(
        html,
        data,
        "applicant_name",
        "applicant_id_number",
        "applicant_phone",
        "applicant_address",
        "request_id",
    )
    assert 'name="components-1-copies" value="2"' in html
    assert 'value="Giấy ủy quyền"' in html
    assert not Dossier.objects.exists()


def test_unknown_province_code_is_refused(world, procedure, client):
    client.force_login(world.officer)
    html = client.post(
        RECEIVE, form_data(world, procedure, applicant_id_number="999190001234")
    ).content.decode()
    assert "không phải mã tỉnh" in html


def test_birth_year_must_match_the_citizen_id(world, procedure, client):
    client.force_login(world.officer)
    response = client.post(RECEIVE, form_data(world, procedure, birth_year="1985"))
    html = response.content.decode()
    assert "không khớp năm sinh 1985" in html
    assert not Dossier.objects.exists()


def test_bad_phone_keeps_every_value(world, procedure, client):
    client.force_login(world.officer)
    data = form_data(world, procedure, applicant_phone="0123")
    html = client.post(RECEIVE, data).content.decode()
    assert "Số điện thoại không hợp lệ" in html
    _assert_kept(html, data, "applicant_name", "applicant_id_number", "applicant_phone")
    assert not Dossier.objects.exists()


def test_missing_fields_are_named_in_vietnamese_next_to_them(world, procedure, client):
    client.force_login(world.officer)
    data = form_data(world, procedure, applicant_name="", applicant_address="  ")
    html = client.post(RECEIVE, data).content.decode()
    assert "Vui lòng nhập họ và tên." in html
    assert "Vui lòng nhập địa chỉ." in html
    assert html.index("Vui lòng nhập họ và tên.") > html.index('id="id_applicant_name"')
    _assert_kept(html, data, "applicant_id_number", "applicant_phone", "birth_year")
    assert re.search(r'<input type="radio" name="channel" value="1"[^>]*checked', html)


def test_missing_procedure_is_asked_for(world, client):
    client.force_login(world.officer)
    data = {"request_id": str(uuid.uuid4()), "applicant_name": "Lê Văn Tám", "channel": "1"}
    html = client.post(RECEIVE, data).content.decode()
    assert "Vui lòng chọn thủ tục." in html
    assert 'value="Lê Văn Tám"' in html


def test_a_counter_of_another_ward_is_refused(world, procedure, client):
    client.force_login(world.officer)
    html = client.post(
        RECEIVE, form_data(world, procedure, counter=str(world.other_counter.pk))
    ).content.decode()
    assert "Quầy không thuộc phường của bạn." in html
    assert not Dossier.objects.exists()


def refuse_everything(request):
    raise NotAllowed("Thủ tục này cần trưởng bộ phận duyệt trước khi tiếp nhận.")


def test_a_refusal_of_the_service_shows_in_the_form(world, procedure, client, settings):
    settings.INTAKE_RULES = ["tests.intake.test_receive_views.refuse_everything"]
    client.force_login(world.officer)
    data = form_data(world, procedure)
    html = client.post(RECEIVE, data).content.decode()
    assert "cần trưởng bộ phận duyệt" in html
    _assert_kept(html, data, "applicant_name", "applicant_address")
    assert not Dossier.objects.exists()


def test_without_javascript_search_and_choose_keep_typed_values(world, procedure, client):
    other = ProcedureFactory(code="1.001193", name="Đăng ký khai sinh", components=[])
    client.force_login(world.officer)
    data = form_data(world, procedure, q="khai sinh", _action="search")
    del data["procedure"]
    response = client.post(RECEIVE, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert other.name in html and procedure.name not in html
    assert "Hồ sơ chưa được lưu." not in html
    _assert_kept(html, data, "applicant_name", "applicant_phone", "request_id")

    data.update(_action="choose", procedure=other.code)
    html = client.post(RECEIVE, data).content.decode()
    assert 'placeholder="Giấy tờ khác (nếu có)"' in html
    assert not Dossier.objects.exists()


def test_enter_in_the_search_box_without_javascript_searches(world, procedure, client):
    client.force_login(world.officer)
    data = form_data(world, procedure, q="hon nhan")
    del data["procedure"]
    html = client.post(RECEIVE, data).content.decode()
    assert "Hồ sơ chưa được lưu." not in html
    assert procedure.name in html


def test_intake_form_query_count_does_not_grow(
    world, procedure, client, django_assert_max_num_queries
):
    client.force_login(world.officer)
    with django_assert_max_num_queries(10):
        client.get(RECEIVE, {"procedure": procedure.code})
    for n in range(30):
        ProcedureFactory(name=f"Thủ tục thêm {n}")
        CounterFactory(ward=world.ward, number=10 + n)
    with django_assert_max_num_queries(10):
        client.get(RECEIVE, {"procedure": procedure.code})


def test_saving_query_count(world, procedure, client, django_assert_max_num_queries):
    client.force_login(world.officer)
    with django_assert_max_num_queries(25):
        response = client.post(RECEIVE, form_data(world, procedure))
    assert response.status_code == 302


# --- receipt ------------------------------------------------------------------------------


def _receive(world, procedure, **kwargs):
    defaults = dict(
        user=world.officer,
        procedure=procedure,
        channel=Channel.DIRECT,
        applicant_name="Trần Văn Bình",
        applicant_id_number="074190001234",
        applicant_address="5 Lê Hồng Phong, phường Phú Hòa",
        applicant_phone="0912345678",
        counter=world.officer_counter,
        components=procedure.components,
        sets=2,
    )
    defaults.update(kwargs)
    with clock.frozen_at(MONDAY_9):
        return dossier_receive(**defaults).dossier


def test_receipt_carries_every_part_of_form_01(world, procedure, client):
    dossier = _receive(world, procedure)
    client.force_login(world.postal_worker)
    response = client.get(reverse("intake:receipt", args=[dossier.code]))
    html = response.content.decode()
    assert response.status_code == 200
    for text in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "UBND PHƯỜNG PHÚ HÒA",
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        dossier.code,
        "Trần Văn Bình",
        "5 Lê Hồng Phong, phường Phú Hòa",
        "0912345678",
        "Cấp Giấy xác nhận tình trạng hôn nhân",
        "Giấy tờ chứng minh tình trạng hôn nhân",
        "3 ngày làm việc",
        "09 giờ 00 phút, ngày 16/03/2026",  # received
        "09 giờ 00 phút, Thứ 5 ngày 19/03/2026",  # appointment
        "Quầy 2",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        world.officer.get_full_name(),
    ]:
        assert text in html, text
    assert re.search(r"Số lượng hồ sơ:\s*<strong>2</strong>", html)
    assert "css/receipt.css" in html
    assert "Mã tra cứu đã được in trên giấy biên nhận" in html  # not received in this session


def test_receipt_of_a_dossier_sent_by_post(world, procedure, client):
    dossier = _receive(world, procedure, channel=Channel.POSTAL)
    client.force_login(world.officer)
    html = client.get(reverse("intake:receipt", args=[dossier.code])).content.decode()
    assert "trả qua dịch vụ bưu chính công ích" in html


def test_receipt_qr_carries_a_signed_link_to_the_status_page(world, procedure, client):
    dossier = _receive(world, procedure)
    client.force_login(world.officer)
    response = client.get(reverse("intake:receipt", args=[dossier.code]))
    link = response.context["status_link"]
    assert link.startswith("http://testserver/tra-cuu/")
    assert qr_data_uri(link) in response.content.decode()
    assert "data:image/svg+xml" in response.content.decode()

    client.logout()
    status = client.get(link.removeprefix("http://testserver"))
    assert status.status_code == 200
    assert "Cấp Giấy xác nhận tình trạng hôn nhân" in status.content.decode()
    assert "Trần Văn Bình" not in status.content.decode()


def test_receipt_link_uses_the_public_address_when_set(world, procedure, client, settings):
    settings.PUBLIC_BASE_URL = "https://motcua.example.vn/"
    dossier = _receive(world, procedure)
    client.force_login(world.officer)
    link = client.get(reverse("intake:receipt", args=[dossier.code])).context["status_link"]
    assert link.startswith("https://motcua.example.vn/tra-cuu/")


def test_receipt_outside_scope_is_404(world, procedure, client):
    dossier = _receive(world, procedure)
    client.force_login(world.other_officer)
    assert client.get(reverse("intake:receipt", args=[dossier.code])).status_code == 404
    assert client.get(reverse("intake:receipt-pdf", args=[dossier.code])).status_code == 404


def test_receipt_query_count_does_not_grow(world, procedure, client, django_assert_max_num_queries):
    dossier = _receive(world, procedure)
    client.force_login(world.officer)
    url = reverse("intake:receipt", args=[dossier.code])
    with django_assert_max_num_queries(9):  # one logs the personal-data access
        client.get(url)
    many = ProcedureFactory(
        components=[{"name": f"Giấy tờ {n}", "originals": 1, "copies": 1} for n in range(12)]
    )
    for _ in range(5):
        _receive(world, many)
    big = _receive(world, many)
    with django_assert_max_num_queries(9):
        client.get(reverse("intake:receipt", args=[big.code]))


def test_receipt_pdf_is_an_a5_pdf_with_vietnamese_text(world, procedure, client):
    dossier = _receive(world, procedure)
    client.force_login(world.officer)
    response = client.get(reverse("intake:receipt-pdf", args=[dossier.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(  # noqa: S603 (a fixed local tool reading our own PDF)
        [pdftotext, "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "Cấp Giấy xác nhận tình trạng hôn nhân" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert dossier.code in text
    assert "Mã tra cứu đã được in trên giấy biên nhận" in text
    info = subprocess.run(  # noqa: S603
        [shutil.which("pdfinfo") or "pdfinfo", "-"], input=response.content, capture_output=True
    ).stdout.decode()
    assert "Pages:           1" in info
    assert "Page size:       419.528 x 595.276 pts" in info


def test_receipt_pdf_never_takes_the_pin_from_the_session(world, procedure, client):
    client.force_login(world.officer)
    response = client.post(RECEIVE, form_data(world, procedure))
    code = Dossier.objects.get().code
    client.get(reverse("intake:receipt-pdf", args=[code]))
    assert code in client.session[SESSION_PINS]  # still there for the receipt page
    assert PIN.search(client.get(response["Location"]).content.decode())


PDF_LINK = re.compile(
    r'href="(/ho-so/[^"]+/bien-nhan\.pdf(?:\?ma=[^"]*)?)" data-testid="receipt-pdf-link"'
)


def _pdf_text(content: bytes) -> str:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(  # noqa: S603 (a fixed local tool reading our own PDF)
        [pdftotext, "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def _pdf_pin(text: str) -> str | None:
    """The PIN a receipt PDF prints (letter-spaced on the paper), or None."""
    found = re.search(r"Mã tra cứu: ((?:\d\s*){6})", text)
    return re.sub(r"\s", "", found.group(1)) if found else None


def _receipt_page(world, procedure, client) -> tuple[str, str, str]:
    """Save a dossier and open its receipt once: (code, PIN shown, the page's PDF link)."""
    client.force_login(world.officer)
    response = client.post(RECEIVE, form_data(world, procedure))
    page = client.get(response["Location"]).content.decode()
    return Dossier.objects.get().code, PIN.search(page).group(1), PDF_LINK.search(page).group(1)


def test_the_pdf_of_the_page_that_showed_the_pin_carries_it_once(world, procedure, client):
    _code, pin, link = _receipt_page(world, procedure, client)
    assert "?ma=" in link
    first = client.get(link)
    assert "no-store" in first["Cache-Control"]
    text = _pdf_text(first.content)
    assert _pdf_pin(text) == pin
    assert "Mã tra cứu đã được in trên giấy biên nhận" not in text
    again = _pdf_text(client.get(link).content)
    assert _pdf_pin(again) is None
    assert "Mã tra cứu đã được in trên giấy biên nhận" in again
    assert client.session[SESSION_PDF_PINS] == {}


def test_a_later_receipt_page_offers_no_pin_to_its_pdf(world, procedure, client):
    code, pin, link = _receipt_page(world, procedure, client)
    later = client.get(reverse("intake:receipt", args=[code])).content.decode()
    later_link = PDF_LINK.search(later).group(1)
    assert "?ma=" not in later_link
    assert _pdf_pin(_pdf_text(client.get(later_link).content)) is None
    # A made-up ticket takes nothing either, and leaves the page's own link its PIN.
    forged = reverse("intake:receipt-pdf", args=[code]) + "?ma=forged"
    assert _pdf_pin(_pdf_text(client.get(forged).content)) is None
    assert _pdf_pin(_pdf_text(client.get(link).content)) == pin


def test_the_pdf_link_carries_the_pin_for_a_few_minutes_only(world, procedure, client, monkeypatch):
    _code, _pin, link = _receipt_page(world, procedure, client)
    later = receipts.time.time() + receipts.PDF_PIN_MAX_AGE + 1
    monkeypatch.setattr(receipts.time, "time", lambda: later)
    assert _pdf_pin(_pdf_text(client.get(link).content)) is None
    assert client.session[SESSION_PDF_PINS] == {}


def test_the_session_keeps_the_pdf_pin_sealed_and_the_link_alone_does_not_open_it(
    world, procedure, client
):
    code, pin, link = _receipt_page(world, procedure, client)
    entry = client.session[SESSION_PDF_PINS][code]
    ticket = link.partition("?ma=")[2]
    assert pin not in str(entry)  # (a 1-in-10^6 coincidence aside)
    assert ticket not in str(entry)
    # Another signed-in session holding the link gets no PIN: the sealed PIN stays in this one.
    other = type(client)()
    other.force_login(world.officer)
    assert _pdf_pin(_pdf_text(other.get(link).content)) is None


def test_search_puts_the_closest_names_first(world, client):
    ProcedureFactory(
        code="2.001023",
        name="Liên thông các thủ tục hành chính về đăng ký khai sinh, cấp Thẻ bảo hiểm y tế",
    )
    ProcedureFactory(code="1.004884", name="Đăng ký lại khai sinh")
    ProcedureFactory(code="1.001193", name="Đăng ký khai sinh")
    client.force_login(world.officer)
    html = client.get(
        reverse("intake:receive-procedures"), {"q": "dang ky khai sinh"}
    ).content.decode()
    codes = re.findall(r'<option value="([\d.]+)"', html)
    # The name that starts with the words, then the whole phrase, then the words apart.
    assert codes == ["1.001193", "2.001023", "1.004884"]
    html = client.get(reverse("intake:receive-procedures"), {"q": "1.004884"}).content.decode()
    assert re.findall(r'<option value="([\d.]+)"', html) == ["1.004884"]


def test_the_form_and_the_receipt_are_never_cached(world, procedure, client):
    # Back after a save must fetch a new form (a new request_id), and the PIN page never lingers.
    client.force_login(world.officer)
    assert "no-store" in client.get(RECEIVE)["Cache-Control"]
    response = client.post(RECEIVE, form_data(world, procedure))
    assert "no-store" in client.get(response["Location"])["Cache-Control"]


def test_the_citizens_consent_is_stored_and_printed_on_the_receipt(world, procedure, client):
    client.force_login(world.officer)
    refused = client.post(
        RECEIVE, form_data(world, procedure, notify_consent="email", applicant_email="")
    )
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "Muốn nhận thông báo qua thư điện tử, hãy ghi địa chỉ thư." in page
    # The choice that was typed is kept.
    assert re.search(r'<input[^>]*value="email"[^>]*checked', page)
    assert not Dossier.objects.exists()

    with clock.frozen_at(MONDAY_9):
        response = client.post(RECEIVE, form_data(world, procedure, notify_consent="sms"))
    dossier = Dossier.objects.get()
    assert dossier.notify_consent == "sms"
    receipt = client.get(response["Location"]).content.decode()
    assert "Nhận thông báo về hồ sơ:" in receipt
    assert "Nhận thông báo về hồ sơ: Tin nhắn SMS" in " ".join(receipt.split())


def test_without_a_choice_nobody_is_told(world, procedure, client):
    client.force_login(world.officer)
    with clock.frozen_at(MONDAY_9):
        client.post(RECEIVE, form_data(world, procedure))
    assert Dossier.objects.get().notify_consent == "none"
