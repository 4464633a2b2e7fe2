"""The dossier list, the detail page with its lifecycle steps, and the slips Mẫu 02–05."""

import datetime as dt
import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from intake.lifecycle import Action
from intake.models import Dossier, DossierEvent, Status
from intake.services import StepInput, dossier_receive, dossier_step
from intake.views import dossiers as views
from intake.views import slips
from onestop import clock
from tests.intake.factories import DossierEventFactory, DossierFactory, ProcedureFactory
from wards import calendar
from wards.calendar import VIETNAM_TZ

LIST = reverse("intake:dossier-list")


@pytest.fixture(autouse=True)
def _no_intake_rules(settings):
    # Which procedures a postal worker may receive is the postal app's rule, tested there;
    # these pages show whatever was received.
    settings.INTAKE_RULES = []


@pytest.fixture
def w(world):
    world.procedure = ProcedureFactory(name="Đăng ký khai sinh", processing_days=3)
    world.slow_procedure = ProcedureFactory(name="Chứng thực hợp đồng", processing_days=10)
    return world


def receive(world, *, user=None, name="Nguyễn Thị Mai", id_number="074190001234", **kwargs):
    kwargs.setdefault("procedure", world.procedure)
    kwargs.setdefault("channel", 1)
    kwargs.setdefault("applicant_phone", "0912345678")
    return dossier_receive(
        user=user or world.postal_worker,
        applicant_name=name,
        applicant_id_number=id_number,
        applicant_address="12 Yersin, Phú Hòa",
        **kwargs,
    ).dossier


def walk(world, dossier, *actions) -> Dossier:
    """Take `actions` as the officer, with the notes and dates each needs."""
    for action in actions:
        details = StepInput()
        if action == "apologise":
            details = StepInput(new_appointment_at=dossier.appointment_at + dt.timedelta(days=5))
        dossier = dossier_step(
            user=world.officer,
            code=dossier.code,
            action=action,
            note={
                "request_supplement": "Bản sao giấy chứng nhận kết hôn\nTờ khai có chữ ký",
                "refuse": "Hồ sơ không thuộc thẩm quyền của phường.",
                "apologise": "Chờ kết quả xác minh.",
            }.get(action, ""),
            details=details,
        )
    return dossier


def codes_in(response) -> list[str]:
    return re.findall(r'href="/ho-so/([^/"]+)/"', response.content.decode())


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


# --- list ----------------------------------------------------------------------------------


def test_the_list_shows_the_wards_dossiers_only(w, client):
    mine = receive(w)
    theirs = receive(w, user=w.other_postal_worker)
    client.force_login(w.officer)
    response = client.get(LIST)
    assert response.status_code == 200
    assert codes_in(response) == [mine.code]
    assert theirs.code not in response.content.decode()


def test_personal_numbers_are_masked_in_the_list(w, client):
    receive(w, id_number="074190001234", applicant_phone="0912345678")
    client.force_login(w.postal_worker)
    html = client.get(LIST).content.decode()
    assert "•••••••••234" in html
    assert "•••••••678" in html
    assert "074190001234" not in html
    assert "0912345678" not in html


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("nguyen thi mai", ["mai"]),
        ("NGUYỄN mai", ["mai"]),
        ("tran van", ["binh"]),
        ("074088004321", ["binh"]),
        ("07408800432", []),  # a citizen ID matches exactly, never as a prefix
        ("khong ai", []),
    ],
)
def test_search_by_name_without_diacritics_or_by_citizen_id(w, client, q, expected):
    people = {
        "mai": receive(w, name="Nguyễn Thị Mai", id_number="074190001234"),
        "binh": receive(w, name="Trần Văn Bình", id_number="074088004321"),
    }
    client.force_login(w.officer)
    response = client.get(LIST, {"q": q})
    assert codes_in(response) == [people[key].code for key in expected]


def test_search_by_code_finds_that_dossier_only(w, client):
    first, second = receive(w), receive(w)
    client.force_login(w.officer)
    assert codes_in(client.get(LIST, {"q": second.code})) == [second.code]
    assert codes_in(client.get(LIST, {"q": f"  {first.code} "})) == [first.code]


def test_search_by_the_code_without_the_unit_identifier(w, client):
    first, second = receive(w), receive(w)
    client.force_login(w.officer)
    day, number = second.code.split("-")[-2:]
    assert codes_in(client.get(LIST, {"q": f"{day}-{number}"})) == [second.code]
    assert codes_in(client.get(LIST, {"q": f"{day}-{int(number)}"})) == [second.code]
    assert codes_in(client.get(LIST, {"q": f"{day}-9999"})) == []
    assert codes_in(client.get(LIST, {"q": "261399-0001"})) == []  # no such day: nothing, no 500
    assert first.code != second.code


def test_filters_by_status_procedure_channel_and_receiver(w, client):
    received = receive(w)
    processing = walk(w, receive(w, channel=3), "transfer")
    by_officer = receive(w, user=w.officer, procedure=w.slow_procedure)
    client.force_login(w.chief)

    def listed(**params):
        return set(codes_in(client.get(LIST, params)))

    assert listed(status="processing") == {processing.code}
    assert listed(status="received") == {received.code, by_officer.code}
    assert listed(procedure=w.slow_procedure.code) == {by_officer.code}
    assert listed(channel="3") == {processing.code}
    assert listed(receiver_kind="officer") == {by_officer.code}
    assert listed(receiver_kind="postal_worker") == {received.code, processing.code}


def test_filters_overdue_due_soon_and_date_range(w, client):
    now = clock.now()
    old = receive(w, received_at=now - dt.timedelta(days=40))
    quick = receive(w, procedure=ProcedureFactory(processing_days=1))
    slow = receive(w, procedure=w.slow_procedure)
    client.force_login(w.officer)
    assert codes_in(client.get(LIST, {"overdue": "on"})) == [old.code]
    assert quick.code in codes_in(client.get(LIST, {"due_soon": "on"}))
    assert slow.code not in codes_in(client.get(LIST, {"due_soon": "on"}))
    day = (now - dt.timedelta(days=40)).astimezone(VIETNAM_TZ).date()
    span = {"received_from": f"{day:%d/%m/%Y}", "received_to": f"{day:%d/%m/%Y}"}
    assert codes_in(client.get(LIST, span)) == [old.code]
    html = client.get(LIST).content.decode()
    assert "Quá hạn" in html


def test_filters_out_of_list_and_timeliness(w, client):
    resolved = walk(w, receive(w), "transfer", "resolve")
    other = receive(w)
    Dossier.objects.filter(pk=other.pk).update(out_of_list=True)
    client.force_login(w.officer)
    assert codes_in(client.get(LIST, {"out_of_list": "1"})) == [other.code]
    assert other.code not in codes_in(client.get(LIST, {"out_of_list": "0"}))
    assert codes_in(client.get(LIST, {"timeliness": resolved.timeliness})) == [resolved.code]


def test_bad_filter_values_give_vietnamese_messages_never_a_500(w, client):
    dossier = receive(w)
    client.force_login(w.officer)
    response = client.get(
        LIST,
        {
            "received_from": "31/02/2026",
            "received_to": "hôm qua",
            "channel": "9",
            "status": "lost",
            "page": "abc",
            "procedure": "không-có",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nhập ngày theo dạng dd/mm/yyyy" in html
    assert "Số trang không hợp lệ." in html
    assert "đã được bỏ qua" in html
    # The invalid parts are left out, so the list still answers.
    assert codes_in(response) == [dossier.code]


def test_a_reversed_date_range_is_reported(w, client):
    client.force_login(w.officer)
    response = client.get(LIST, {"received_from": "10/03/2026", "received_to": "01/03/2026"})
    assert response.status_code == 200
    assert "Ngày kết thúc phải từ ngày bắt đầu trở đi." in response.content.decode()


def test_city_admins_see_their_citys_wards_and_filter_by_ward(w, client):
    here = receive(w)
    neighbour = receive(w, user=w.other_postal_worker)
    far = DossierFactory(ward=w.far_ward)
    client.force_login(w.city_admin)
    assert set(codes_in(client.get(LIST))) == {here.code, neighbour.code}
    assert codes_in(client.get(LIST, {"ward": w.other_ward.slug})) == [neighbour.code]
    response = client.get(LIST, {"ward": w.far_ward.slug})
    assert far.code not in response.content.decode()
    assert "lựa chọn hợp lệ" in response.content.decode()


def test_ward_staff_cannot_widen_the_list_with_a_ward_parameter(w, client):
    neighbour = receive(w, user=w.other_postal_worker)
    client.force_login(w.officer)
    response = client.get(LIST, {"ward": w.other_ward.slug})
    assert neighbour.code not in response.content.decode()
    assert 'name="ward"' not in response.content.decode()


def test_pagination_without_counting(w, client, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    made = [receive(w) for _ in range(5)]
    newest_first = [d.code for d in reversed(made)]
    client.force_login(w.officer)

    first = client.get(LIST, {"status": "received"})
    html = first.content.decode()
    assert codes_in(first) == newest_first[:2]
    assert "Trang sau" in html and "Trang trước" not in html
    assert "page=2" in html and "status=received" in html

    last = client.get(LIST, {"status": "received", "page": 3})
    html = last.content.decode()
    assert codes_in(last) == newest_first[4:]
    assert "Trang trước" in html and "Trang sau" not in html
    assert "page=2" in html


def test_fifty_to_a_page_by_default(w, client):
    DossierFactory.create_batch(51, ward=w.ward, procedure=w.procedure, received_by=w.officer)
    client.force_login(w.officer)
    response = client.get(LIST)
    assert len(codes_in(response)) == 50
    assert len(codes_in(client.get(LIST, {"page": 2}))) == 1


def test_the_list_never_counts_the_table(w, client):
    DossierFactory.create_batch(3, ward=w.ward, procedure=w.procedure, received_by=w.officer)
    client.force_login(w.officer)
    with CaptureQueriesContext(connection) as queries:
        client.get(LIST)
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]


@pytest.mark.parametrize("actor", ["officer", "city_admin"])
def test_list_query_count_does_not_grow_with_dossiers(
    w, client, django_assert_max_num_queries, actor
):
    def make(n):
        for ward in (w.ward, w.other_ward):
            DossierFactory.create_batch(
                n, ward=ward, procedure=ProcedureFactory(), by_postal_worker=True
            )

    client.force_login(getattr(w, actor))
    make(5)
    few = count_queries(client, LIST)
    make(25)
    many = count_queries(client, LIST)
    assert few == many
    with django_assert_max_num_queries(9):
        client.get(LIST, {"q": "nguyen", "overdue": "on", "page": "1"})


# --- detail --------------------------------------------------------------------------------


def detail(dossier) -> str:
    return reverse("intake:dossier-detail", kwargs={"code": dossier.code})


def step_url(dossier) -> str:
    return reverse("intake:dossier-step", kwargs={"code": dossier.code})


def offered(response) -> set[str]:
    return set(re.findall(r'data-testid="step-(\w+)"', response.content.decode()))


def test_detail_shows_full_personal_data_components_and_timeline(w, client):
    dossier = walk(w, receive(w, applicant_phone="0987654321"), "transfer")
    client.force_login(w.postal_worker)
    response = client.get(detail(dossier))
    assert response.status_code == 200
    html = response.content.decode()
    assert "074190001234" in html and "0987654321" in html and "12 Yersin" in html
    assert "Tờ khai" in html  # the procedure's component
    timeline = html.split('data-testid="timeline"')[1]
    assert "Tiếp nhận" in timeline and "Chuyển xử lý" in timeline
    assert "Đã tiếp nhận → Đang xử lý" in timeline
    assert "Trung tâm phục vụ hành chính công" in timeline
    assert "Nhân viên bưu điện" in timeline and "Công chức một cửa" in timeline


@pytest.mark.parametrize(
    ("path", "role", "expected"),
    [
        ((), "postal_worker", {"transfer", "refuse", "withdraw"}),
        ((), "officer", {"transfer", "refuse", "withdraw", "apologise"}),
        (("transfer",), "postal_worker", {"withdraw"}),
        (
            ("transfer",),
            "officer",
            {"request_supplement", "resolve", "refuse", "withdraw", "apologise", "stop"},
        ),
        (
            ("transfer",),
            "chief",
            {"request_supplement", "resolve", "refuse", "withdraw", "apologise", "stop"},
        ),
        (("transfer", "request_supplement"), "postal_worker", {"supplement", "withdraw"}),
        (("transfer", "resolve"), "postal_worker", set()),
        (("transfer", "resolve", "return"), "officer", set()),
        (("refuse",), "chief", set()),
        (
            ("transfer", "apologise"),
            "officer",
            {"request_supplement", "resolve", "refuse", "withdraw", "stop"},
        ),
    ],
)
def test_detail_offers_only_the_steps_the_table_allows(w, client, path, role, expected):
    dossier = receive(w)
    for action in path:
        details = StepInput(
            collector_id_number=dossier.applicant_id_number,
            new_appointment_at=dossier.appointment_at + dt.timedelta(days=7),
        )
        dossier = dossier_step(
            user=w.officer, code=dossier.code, action=action, note="Lý do", details=details
        )
    client.force_login(getattr(w, role))
    response = client.get(detail(dossier))
    assert offered(response) == expected
    assert not offered(response) & {"send_by_post", "delivered", "delivery_failed", "return"}
    if role == "postal_worker":
        assert not offered(response) & {"resolve", "request_supplement"}
    has_return_link = 'data-testid="go-return"' in response.content.decode()
    assert has_return_link == (dossier.status == Status.RESULT_READY)


def test_city_admins_read_the_detail_without_any_step(w, client):
    dossier = walk(w, receive(w), "transfer")
    client.force_login(w.city_admin)
    response = client.get(detail(dossier))
    assert response.status_code == 200
    assert offered(response) == set()
    assert 'data-testid="read-only"' in response.content.decode()
    assert "074190001234" in response.content.decode()


def test_detail_of_another_ward_is_not_found(w, client):
    dossier = receive(w)
    for user in (w.other_officer, w.other_city_admin):
        client.force_login(user)
        assert client.get(detail(dossier)).status_code == 404


def test_detail_query_count_does_not_grow_with_events(w, client, django_assert_max_num_queries):
    dossier = DossierFactory(ward=w.ward, procedure=w.procedure, processing=True)
    client.force_login(w.officer)
    DossierEventFactory.create_batch(3, dossier=dossier)
    few = count_queries(client, detail(dossier))
    DossierEventFactory.create_batch(30, dossier=dossier)
    many = count_queries(client, detail(dossier))
    assert few == many
    with django_assert_max_num_queries(9):  # one logs the personal-data access
        client.get(detail(dossier))


# --- steps through the page ----------------------------------------------------------------


def post_step(client, dossier, action, **data):
    data = {"action": action, "request_id": str(uuid.uuid4()), "note": "", **data}
    return client.post(step_url(dossier), data)


def history(dossier) -> list[str]:
    return list(DossierEvent.objects.filter(dossier=dossier).values_list("action", flat=True))


def test_each_step_through_the_page(w, client):
    dossier = receive(w)
    client.force_login(w.officer)

    response = post_step(client, dossier, "transfer", note="Chuyển công chức tư pháp")
    assert response.status_code == 302
    assert response["Location"] == detail(dossier)
    page = client.get(response["Location"]).content.decode()
    assert "Đã ghi nhận “Chuyển xử lý”" in page

    assert post_step(client, dossier, "request_supplement", note="Bản sao CCCD").status_code == 302
    client.force_login(w.postal_worker)
    assert post_step(client, dossier, "supplement").status_code == 302
    client.force_login(w.officer)
    # A working day a week after the appointment: the date alone means 17:00 that day.
    new_date = calendar.add_working_time(
        dossier.appointment_at, 5 * calendar.WORKING_DAY, calendar.WorkingCalendar()
    )
    response = post_step(
        client,
        dossier,
        "apologise",
        note="Chờ xác minh",
        new_appointment_at=f"{new_date:%d/%m/%Y}",
    )
    assert response.status_code == 302
    assert post_step(client, dossier, "resolve").status_code == 302

    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_READY
    assert dossier.apology_appointment_at.astimezone(VIETNAM_TZ).date() == new_date.date()
    assert dossier.apology_appointment_at.astimezone(VIETNAM_TZ).hour == 17
    assert history(dossier) == [
        "receive",
        "transfer",
        "request_supplement",
        "supplement",
        "apologise",
        "resolve",
    ]
    assert DossierEvent.objects.get(dossier=dossier, action="transfer").note == (
        "Chuyển công chức tư pháp"
    )


def test_withdraw_and_refuse_through_the_page(w, client):
    client.force_login(w.postal_worker)
    first, second = receive(w), receive(w)
    assert post_step(client, first, "withdraw", note="Công dân xin rút").status_code == 302
    assert post_step(client, second, "refuse", note="Thiếu giấy tờ").status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Status.WITHDRAWN, Status.REFUSED)


def test_a_double_submit_is_applied_once(w, client):
    dossier = receive(w)
    client.force_login(w.postal_worker)
    request_id = str(uuid.uuid4())
    for _ in range(2):
        response = post_step(client, dossier, "transfer", request_id=request_id)
        assert response.status_code == 302
    assert history(dossier) == ["receive", "transfer"]


def snapshot(dossier):
    dossier.refresh_from_db()
    return dossier.status, dossier.updated_at, len(history(dossier))


def test_a_postal_worker_may_not_resolve_403_and_nothing_changes(w, client):
    dossier = walk(w, receive(w), "transfer")
    before = snapshot(dossier)
    client.force_login(w.postal_worker)
    response = post_step(client, dossier, "resolve")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Nhân viên bưu điện không được “Có kết quả”" in html
    assert "không thay đổi" in html
    assert snapshot(dossier) == before


def test_a_step_the_state_does_not_allow_409_and_nothing_changes(w, client):
    dossier = receive(w)
    before = snapshot(dossier)
    client.force_login(w.officer)
    response = post_step(client, dossier, "resolve")
    assert response.status_code == 409
    assert "không thể “Có kết quả”" in response.content.decode()
    assert snapshot(dossier) == before


def test_invalid_input_shows_the_form_again_with_the_note_kept(w, client):
    dossier = walk(w, receive(w), "transfer")
    before = snapshot(dossier)
    client.force_login(w.officer)

    response = post_step(client, dossier, "apologise", note="Chờ xác minh của công an")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nhập ngày hẹn trả mới." in html
    apology_form = html.split('data-testid="step-apologise"')[1].split("</form>")[0]
    assert "Chờ xác minh của công an" in apology_form

    response = post_step(client, dossier, "request_supplement", note="  ")
    assert response.status_code == 400
    assert "Ghi rõ giấy tờ cần bổ sung" in response.content.decode()

    response = post_step(client, dossier, "apologise", note="Chờ", new_appointment_at="32/13/2026")
    assert response.status_code == 400
    assert "dd/mm/yyyy hh:mm" in response.content.decode()
    assert snapshot(dossier) == before


def test_an_unknown_or_postal_action_is_refused_as_invalid(w, client):
    dossier = walk(w, receive(w), "transfer", "resolve")
    before = snapshot(dossier)
    client.force_login(w.officer)
    for action in ("send_by_post", "receive", "explode", "return"):
        response = post_step(client, dossier, action)
        assert response.status_code == 400
        assert "Thao tác không hợp lệ." in response.content.decode()
    assert snapshot(dossier) == before


def test_a_missing_request_id_is_an_error_not_a_step(w, client):
    dossier = receive(w)
    client.force_login(w.officer)
    response = client.post(step_url(dossier), {"action": "transfer"})
    assert response.status_code == 400
    assert snapshot(dossier)[0] == Status.RECEIVED


def test_city_admins_and_other_wards_cannot_post_steps(w, client):
    dossier = receive(w)
    for user in (w.city_admin, w.other_officer):
        client.force_login(user)
        assert post_step(client, dossier, "transfer").status_code == 404
    assert history(dossier) == ["receive"]


def test_the_step_url_only_takes_posts(w, client):
    dossier = receive(w)
    client.force_login(w.officer)
    assert client.get(step_url(dossier)).status_code == 405


# --- slips ---------------------------------------------------------------------------------


def slip(name, dossier) -> str:
    return reverse(f"intake:{name}", kwargs={"code": dossier.code})


ALL_SLIPS = [
    "dossier-supplement-slip",
    "dossier-refusal-slip",
    "dossier-apology-slip",
    "dossier-control-sheet",
]


def test_a_new_dossier_has_only_the_control_sheet(w, client):
    dossier = receive(w)
    client.force_login(w.officer)
    answers = {name: client.get(slip(name, dossier)).status_code for name in ALL_SLIPS}
    assert answers == {
        "dossier-supplement-slip": 404,
        "dossier-refusal-slip": 404,
        "dossier-apology-slip": 404,
        "dossier-control-sheet": 200,
    }
    html = client.get(detail(dossier)).content.decode()
    # Received in 2026, under the 2025 edition: the control sheet is Mẫu 06.
    assert "Mẫu 06" in html and "Mẫu 02" not in html


def test_supplement_slip_lists_the_latest_request(w, client):
    dossier = walk(w, receive(w), "transfer", "request_supplement")
    client.force_login(w.postal_worker)
    response = client.get(slip("dossier-supplement-slip", dossier))
    assert response.status_code == 200
    html = response.content.decode()
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in html
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html
    assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG" in html
    items = html.split('data-testid="supplement-items"')[1].split("</ol>")[0]
    assert "<li>Bản sao giấy chứng nhận kết hôn</li>" in items
    assert "<li>Tờ khai có chữ ký</li>" in items
    assert "Mẫu 02" in client.get(detail(dossier)).content.decode()


def test_refusal_slip_gives_the_reason(w, client):
    dossier = walk(w, receive(w), "refuse")
    client.force_login(w.city_admin)
    response = client.get(slip("dossier-refusal-slip", dossier))
    assert response.status_code == 200
    html = response.content.decode()
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in html
    assert "Hồ sơ không thuộc thẩm quyền của phường." in html


def test_apology_slip_has_the_old_and_new_dates(w, client):
    dossier = walk(w, receive(w), "transfer", "apologise")
    client.force_login(w.chief)
    response = client.get(slip("dossier-apology-slip", dossier))
    assert response.status_code == 200
    html = response.content.decode()
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in html
    old = dossier.appointment_at.astimezone(VIETNAM_TZ)
    new = dossier.apology_appointment_at.astimezone(VIETNAM_TZ)
    assert f"{old:%H:%M %d/%m/%Y}" in html
    assert f"ngày {new:%d} tháng {new:%m} năm {new:%Y}" in html
    assert "Chờ kết quả xác minh." in html


def test_control_sheet_lists_every_hand_off_with_its_result(w, client):
    dossier = walk(w, receive(w), "transfer", "resolve")
    client.force_login(w.officer)
    response = client.get(slip("dossier-control-sheet", dossier))
    html = response.content.decode()
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in html
    table = html.split('data-testid="control-rows"')[1].split("</table>")[0]
    assert table.count("<tr>") == 4  # header + receive, transfer, resolve
    assert "Giao:" in table and "Nhận:" in table
    assert "Trước hạn" in table or "Đúng hạn" in table


def test_control_rows_measure_each_hand_off_against_the_promise_then(w):
    moment = dt.datetime(2026, 3, 10, 9, 0, tzinfo=VIETNAM_TZ)  # a Tuesday
    with clock.frozen_at(moment):
        dossier = receive(w)  # due Friday 13/03 09:00
    with clock.frozen_at(moment + dt.timedelta(hours=1)):
        walk(w, dossier, "transfer")
    # Thursday 14:00: an apology is made at least one working day before the appointment.
    with clock.frozen_at(moment + dt.timedelta(days=2, hours=5)):
        walk(w, dossier, "apologise")
    with clock.frozen_at(moment + dt.timedelta(days=7)):  # the next Tuesday
        dossier = walk(w, dossier, "resolve")
    events = list(DossierEvent.objects.filter(dossier=dossier).order_by("at", "id"))
    rows = slips.control_rows(dossier, events)
    assert [r["event"].action for r in rows] == ["receive", "transfer", "apologise", "resolve"]
    assert [r["result"] for r in rows] == ["", "early", "", "late"]


def test_slips_of_another_ward_are_not_found(w, client):
    dossier = walk(w, receive(w), "refuse")
    client.force_login(w.other_chief)
    for name in ALL_SLIPS:
        assert client.get(slip(name, dossier)).status_code == 404


def test_slips_print_on_a4(w, client):
    dossier = receive(w)
    client.force_login(w.officer)
    html = client.get(slip("dossier-control-sheet", dossier)).content.decode()
    assert "css/dossiers.css" in html and "data-print" in html
    from django.contrib.staticfiles import finders

    with open(finders.find("css/dossiers.css"), encoding="utf-8") as css:
        assert "@page { size: A4" in css.read()


def test_navigation_has_dossiers_for_all_and_return_for_counter_staff(w, client):
    client.force_login(w.postal_worker)
    html = client.get(LIST).content.decode()
    assert 'href="/ho-so/"' in html and 'href="/tra-ket-qua/"' in html
    client.force_login(w.city_admin)
    html = client.get(LIST).content.decode()
    assert 'href="/ho-so/"' in html and 'href="/tra-ket-qua/"' not in html


@pytest.mark.parametrize("action", [Action.TRANSFER])
def test_step_forms_carry_a_fresh_request_id(w, client, action):
    dossier = receive(w)
    client.force_login(w.officer)
    ids = set()
    for _ in range(2):
        html = client.get(detail(dossier)).content.decode()
        form = html.split(f'data-testid="step-{action}"')[1].split("</form>")[0]
        ids.add(re.search(r'name="request_id" value="([0-9a-f-]{36})"', form).group(1))
    assert len(ids) == 2


def test_a_slip_downloads_as_a_pdf(w, client):
    dossier = walk(w, receive(w), "refuse")
    client.force_login(w.officer)
    response = client.get(slip("dossier-refusal-slip", dossier), {"pdf": "1"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="mau-03-{dossier.code}.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")


def test_the_chiefs_out_of_list_review_reads_as_words_on_the_timeline(world, client):
    dossier = DossierFactory(ward=world.ward, received_by=world.postal_worker)
    DossierEventFactory(
        dossier=dossier, action="review_out_of_list", from_status=Status.RECEIVED, actor=world.chief
    )
    client.force_login(world.chief)
    html = client.get(reverse("intake:dossier-detail", args=[dossier.code])).content.decode()
    assert "Trưởng bộ phận xem xét hồ sơ ngoài danh mục" in html
    assert ">review_out_of_list<" not in html
