"""The back office pages: thin views over the services, htmx fragments with plain fallbacks,
and query counts that do not grow with the ward."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from intake.models import Dossier, Procedure, Status
from intake.services import dossier_receive
from onestop import clock
from onestop.models import User
from postal.deliveries.models import DeliveryStatus
from postal.models import Assignment, DataEntryRecord, GuidanceSession, ProcedureAuthorization
from tests.intake.factories import DossierFactory, ProcedureFactory
from tests.onestop.factories import PASSWORD, UserFactory
from tests.postal.conftest import FRIDAY, MONDAY, at
from tests.postal.deliveries.test_services import delivery_in
from tests.postal.factories import (
    AssignmentFactory,
    AuthorizationFactory,
    DataEntryBatchFactory,
    GuidanceSessionFactory,
)
from tests.wards.factories import CounterFactory
from wards.models import Counter

HTMX = {"HTTP_HX_REQUEST": "true"}


def queries(request) -> int:
    """How many queries `request()` runs."""
    with CaptureQueriesContext(connection) as context:
        response = request()
    assert response.status_code == 200
    return len(context)


WEEK = "2026-W11"  # Monday 09/03/2026


@pytest.fixture
def chief(client, world, friday):
    client.force_login(world.chief)
    return client


@pytest.fixture
def worker(client, world, friday):
    client.force_login(world.postal_worker)
    return client


def slot_url(world, day=MONDAY, shift="morning", worker=None):
    worker = worker or world.postal_worker
    return f"{reverse('postal:roster-slot')}?nv={worker.pk}&ngay={day:%Y-%m-%d}&ca={shift}"


def fill_ward(world, workers: int, weeks: int = 1):
    """`workers` more postal workers, each booked every working shift of `weeks` weeks."""
    people = [UserFactory(postal_worker=True, ward=world.ward) for _ in range(workers)]
    taken = Counter.objects.filter(ward=world.ward).count()
    desks = [CounterFactory(ward=world.ward, number=20 + taken + i) for i in range(workers)]
    for person, desk in zip(people, desks, strict=True):
        for week in range(weeks):
            for day in range(5):
                for shift in ("morning", "afternoon"):
                    AssignmentFactory(
                        ward=world.ward,
                        worker=person,
                        counter=desk,
                        assigned_by=world.chief,
                        date=MONDAY + dt.timedelta(days=7 * week + day),
                        shift=shift,
                    )
    return people


# A signed-in page starts with two statements (onestop.auth): the session, read and renewed in
# one, and the user with their ward. Then the page's own reads, the same number whatever the
# ward holds (onestop/postal selectors say which).
TODAY_QUERIES = 10
# The dashboard also counts the messages to citizens that could not be delivered (notify).
DASHBOARD_QUERIES = 10
PAGE_MAX_QUERIES = 10
SOME = 3  # three of each; then three times as many, more than any home list shows


def stock(world, n: int) -> None:
    """`n` more of everything the back office lists or counts, in the home ward on Friday.

    Postal workers on today's roster at their own counter, with a grant each; grants, open
    batches and guidance sessions of the day for `world.postal_worker`; dossiers ready to
    return, overdue, due soon (received by `world.postal_worker`) and out of list awaiting
    review; results the post could not deliver.
    """
    taken = Counter.objects.filter(ward=world.ward).count()
    for i in range(n):
        person = UserFactory(postal_worker=True, ward=world.ward)
        desk = CounterFactory(ward=world.ward, number=40 + taken + i)
        for shift in ("morning", "afternoon"):
            AssignmentFactory(
                ward=world.ward,
                worker=person,
                counter=desk,
                assigned_by=world.chief,
                date=FRIDAY.date(),
                shift=shift,
            )
        AuthorizationFactory(ward=world.ward, worker=person, granted_by=world.chief)
        AuthorizationFactory(ward=world.ward, worker=world.postal_worker, granted_by=world.chief)
        DataEntryBatchFactory(
            ward=world.ward, assigned_to=world.postal_worker, created_by=world.chief
        )
        GuidanceSessionFactory(ward=world.ward, worker=world.postal_worker, at=FRIDAY)
        DossierFactory(ward=world.ward, result_ready=True)
        DossierFactory(ward=world.ward, overdue=True)
        DossierFactory(
            ward=world.ward,
            received_by=world.postal_worker,
            procedure=ProcedureFactory(processing_days=1),
            processing=True,
        )
        DossierFactory(ward=world.ward, received_by=world.postal_worker, out_of_list=True)
        delivery_in(world, DeliveryStatus.FAILED)


# --- the week grid ---------------------------------------------------------------------------


def test_the_week_grid_shows_workers_days_and_workload(chief, world):
    AssignmentFactory(
        ward=world.ward,
        worker=world.postal_worker,
        counter=world.postal_counter,
        assigned_by=world.chief,
        date=MONDAY,
    )
    response = chief.get(reverse("postal:roster"), {"tuan": WEEK})
    page = response.content.decode()
    assert response.status_code == 200
    assert world.postal_worker.get_full_name() in page
    assert "09/03" in page and "13/03" in page
    assert f"Q{world.postal_counter.number}" in page
    assert 'data-testid="week-total">1<' in page
    assert "Sao chép từ tuần trước" in page
    assert "hx-get" in page


def test_the_week_grid_costs_the_same_for_a_bigger_ward(chief, world):
    def grid():
        return chief.get(reverse("postal:roster"), {"tuan": WEEK})

    fill_ward(world, 2)
    small = queries(grid)
    fill_ward(world, 12, weeks=2)
    assert queries(grid) == small
    assert small <= PAGE_MAX_QUERIES
    assert grid().content.decode().count('class="task task-intake"') >= 14 * 10


def test_a_postal_worker_reads_the_grid_without_edit_links(worker, world):
    page = worker.get(reverse("postal:roster"), {"tuan": WEEK}).content.decode()
    assert "slot-link" not in page
    assert "Sao chép từ tuần trước" not in page


def test_a_bad_week_falls_back_to_this_week(chief):
    response = chief.get(reverse("postal:roster"), {"tuan": "2026-W99"})
    assert response.status_code == 200
    assert "2026-W10" in response.content.decode()  # the week of Friday 06/03/2026


def test_a_cell_opens_as_a_form_fragment_and_saves_in_place(chief, world):
    fragment = chief.get(slot_url(world), **HTMX)
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert "<html" not in html
    assert 'name="task_type"' in html
    saved = chief.post(
        reverse("postal:roster-slot"),
        {
            "worker": world.postal_worker.pk,
            "date": "2026-03-09",
            "shift": "morning",
            "task_type": "intake",
            "counter": world.postal_counter.pk,
            "note": "",
        },
        **HTMX,
    )
    assert saved.status_code == 200
    assert saved["HX-Trigger"] == "roster-changed"
    assert "Tiếp nhận" in saved.content.decode()
    assert Assignment.objects.active().get().worker == world.postal_worker


def test_a_clash_is_shown_in_the_cell_with_the_other_assignment(chief, world):
    AssignmentFactory(
        ward=world.ward,
        worker=world.postal_worker,
        counter=world.postal_counter,
        assigned_by=world.chief,
        date=MONDAY,
    )
    other_desk = CounterFactory(ward=world.ward, number=8)
    response = chief.post(
        reverse("postal:roster-slot"),
        {
            "worker": world.postal_worker.pk,
            "date": "2026-03-09",
            "shift": "morning",
            "task_type": "result_return",
            "counter": other_desk.pk,
        },
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="slot-error"' in html
    assert "đã được phân công trong ca này" in html
    assert f"Quầy {world.postal_counter.number}" in html
    assert 'value="result_return" selected' in html  # what was typed stays
    assert Assignment.objects.count() == 1


def test_without_javascript_the_cell_is_a_page_and_saving_returns_to_the_week(chief, world):
    page = chief.get(slot_url(world))
    assert page.status_code == 200
    assert "<html" in page.content.decode()
    response = chief.post(
        reverse("postal:roster-slot"),
        {
            "worker": world.postal_worker.pk,
            "date": "2026-03-09",
            "shift": "afternoon",
            "task_type": "data_entry",
            "counter": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"?tuan={WEEK}")


def test_editing_an_assignment_in_its_cell(chief, world):
    assignment = AssignmentFactory(
        ward=world.ward,
        worker=world.postal_worker,
        counter=world.postal_counter,
        assigned_by=world.chief,
        date=MONDAY,
    )
    form = chief.get(slot_url(world), **HTMX).content.decode()
    assert f'name="assignment" value="{assignment.pk}"' in form
    chief.post(
        reverse("postal:roster-slot"),
        {
            "assignment": assignment.pk,
            "worker": world.postal_worker.pk,
            "date": "2026-03-09",
            "shift": "morning",
            "task_type": "guidance",
            "counter": "",
        },
        **HTMX,
    )
    assignment.refresh_from_db()
    assert (assignment.task_type, assignment.counter) == ("guidance", None)


def test_cancelling_from_the_cell_needs_a_reason(chief, world):
    assignment = AssignmentFactory(
        ward=world.ward,
        worker=world.postal_worker,
        counter=world.postal_counter,
        assigned_by=world.chief,
        date=MONDAY,
    )
    url = reverse("postal:assignment-cancel", args=[assignment.pk])
    refused = chief.post(url, {"note": ""}, **HTMX)
    assert "Ghi lý do huỷ" in refused.content.decode()
    done = chief.post(url, {"note": "Nghỉ phép"}, **HTMX)
    assert done.status_code == 200
    assignment.refresh_from_db()
    assert assignment.is_cancelled


def test_the_assignment_page_moves_it_and_shows_history(chief, world):
    assignment = AssignmentFactory(
        ward=world.ward,
        worker=world.postal_worker,
        counter=world.postal_counter,
        assigned_by=world.chief,
        date=MONDAY,
    )
    url = reverse("postal:assignment", args=[assignment.pk])
    response = chief.post(
        url,
        {
            "worker": world.postal_worker.pk,
            "date": "2026-03-10",
            "shift": "morning",
            "task_type": "intake",
            "counter": world.postal_counter.pk,
            "note": "Đổi ngày",
        },
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.date == dt.date(2026, 3, 10)
    assert "Sửa" in chief.get(url).content.decode()


def test_copy_last_week_from_the_grid(chief, world):
    AssignmentFactory(
        ward=world.ward,
        worker=world.postal_worker,
        counter=world.postal_counter,
        assigned_by=world.chief,
        date=MONDAY - dt.timedelta(days=7),
    )
    response = chief.post(reverse("postal:roster-copy"), {"tuan": WEEK}, follow=True)
    assert "Đã sao chép 1 phân công" in response.content.decode()
    assert Assignment.objects.filter(date=MONDAY).count() == 1


def test_the_workload_panel_refreshes_alone(chief, world):
    response = chief.get(reverse("postal:roster"), {"tuan": WEEK, "phan": "tong"}, **HTMX)
    html = response.content.decode()
    assert 'id="workload"' in html
    assert "<html" not in html


# --- authorisations and review ---------------------------------------------------------------


def test_the_matrix_grants_and_revokes_in_place(chief, world, django_assert_max_num_queries):
    procedure = ProcedureFactory(name="Đăng ký khai tử")
    ProcedureFactory(not_postal=True, name="Không qua bưu điện")
    page = chief.get(reverse("postal:authorisations")).content.decode()
    assert "Đăng ký khai tử" in page
    assert "Không qua bưu điện" not in page
    cell = chief.post(
        reverse("postal:authorisation-grant"),
        {"worker": world.postal_worker.pk, "procedure": procedure.pk},
        **HTMX,
    )
    assert 'aria-pressed="true"' in cell.content.decode()
    grant = ProcedureAuthorization.objects.get()
    cell = chief.post(reverse("postal:authorisation-revoke", args=[grant.pk]), **HTMX)
    assert 'aria-pressed="false"' in cell.content.decode()
    grant.refresh_from_db()
    assert grant.revoked_by == world.chief
    for _ in range(5):
        AuthorizationFactory(
            ward=world.ward, worker=UserFactory(postal_worker=True, ward=world.ward)
        )
    with django_assert_max_num_queries(PAGE_MAX_QUERIES):
        chief.get(reverse("postal:authorisations"))


def test_the_matrix_marks_a_procedure_without_a_verified_term_and_offers_no_grant(chief, world):
    unverified = ProcedureFactory(unverified=True, name="Chứng thực chữ ký")
    ProcedureFactory(name="Đăng ký khai tử")
    page = chief.get(reverse("postal:authorisations")).content.decode()
    row = page[page.index("Chứng thực chữ ký") :]
    row = row[: row.index("</tr>")]
    assert 'data-testid="unverified-term"' in row
    assert 'hx-post="/' not in row  # no grant button in its cells
    assert "chưa xác minh thời hạn: chưa giao được" in page  # and in the grant form's list
    other = page[page.index("Đăng ký khai tử") :]
    assert 'aria-pressed="false"' in other[: other.index("</tr>")]
    # Posted anyway (a stale page), the cell answers with the reason and nothing is granted.
    cell = chief.post(
        reverse("postal:authorisation-grant"),
        {"worker": world.postal_worker.pk, "procedure": unverified.pk},
        **HTMX,
    ).content.decode()
    assert "chưa có thời hạn giải quyết đã xác minh" in cell
    assert 'role="alert"' in cell
    assert not ProcedureAuthorization.objects.exists()


@pytest.mark.intake_rules
def test_the_review_queue_takes_a_comment(chief, world):
    AssignmentFactory(
        ward=world.ward,
        worker=world.postal_worker,
        date=dt.date(2026, 3, 6),
        task_type="out_of_list_intake",
        counter=world.postal_counter,
        assigned_by=world.chief,
    )
    dossier = dossier_receive(
        user=world.postal_worker,
        procedure=ProcedureFactory(not_postal=True),
        channel=1,
        applicant_name="Vũ Thị Hoa",
        applicant_id_number="074190003333",
        applicant_address="9 Yersin",
    ).dossier
    page = chief.get(reverse("postal:out-of-list")).content.decode()
    assert dossier.code in page
    url = reverse("postal:out-of-list-review", args=[dossier.code])
    refused = chief.post(url, {f"{dossier.code}-comment": ""})
    assert "Ghi nhận xét" in refused.content.decode()
    done = chief.post(url, {f"{dossier.code}-comment": "Đã kiểm tra"}, follow=True)
    assert "Đã xem xét hồ sơ" in done.content.decode()
    assert dossier.events.filter(action="review_out_of_list").exists()


# --- data entry and guidance -----------------------------------------------------------------


@pytest.mark.intake_rules
def test_the_worker_enters_a_paper_dossier_through_the_form(worker, world):
    batch = DataEntryBatchFactory(
        ward=world.ward, assigned_to=world.postal_worker, paper_count=3, created_at=FRIDAY
    )
    procedure = ProcedureFactory(not_postal=True, processing_days=5)
    url = reverse("postal:batch-entry", args=[batch.pk])
    page = worker.get(url, {"procedure": procedure.code}).content.decode()
    assert "Số giấy tiếp nhận gốc" in page
    assert "components-TOTAL_FORMS" in page
    form = {
        "procedure": procedure.code,
        "original_receipt_number": "58/HT",
        "original_received_at": "2026-02-10T14:30",
        "sets": 1,
        "applicant_name": "Ngô Thị Lệ",
        "applicant_id_number": "074190002222",
        "applicant_phone": "0912345678",
        "applicant_address": "7 Yersin, Phú Hòa",
        "channel": 1,
        "counter": world.postal_counter.pk,
        "request_id": "1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed",
        "components-TOTAL_FORMS": 1,
        "components-INITIAL_FORMS": 0,
        "components-0-included": "on",
        "components-0-name": "Tờ khai",
        "components-0-originals": 1,
        "components-0-copies": 0,
        "_action": "save",
    }
    response = worker.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    record = DataEntryRecord.objects.get()
    assert record.dossier.received_at == at(2026, 2, 10, 14, 30)
    again = worker.post(url, form | {"request_id": "2b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed"})
    assert "đã được nhập" in again.content.decode()
    assert 'value="Ngô Thị Lệ"' in again.content.decode()
    listing = worker.get(reverse("postal:batch", args=[batch.pk])).content.decode()
    assert "58/HT" in listing
    assert 'aria-valuenow="1"' in listing


def test_only_the_batchs_worker_opens_its_entry_form(client, world, friday):
    batch = DataEntryBatchFactory(ward=world.ward, assigned_to=world.postal_worker)
    client.force_login(UserFactory(postal_worker=True, ward=world.ward))
    assert client.get(reverse("postal:batch-entry", args=[batch.pk])).status_code == 403


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("postal:roster-slot", "— Chọn nhân viên —"),  # the roster's assignment form
        ("postal:authorisations", "— Chọn thủ tục —"),  # the grant form
        ("postal:batches", "— Chọn người nhập —"),  # the data-entry batch form
    ],
)
def test_selects_offer_a_vietnamese_empty_choice(chief, world, url, label):
    html = chief.get(reverse(url)).content.decode()
    assert f'<option value="" selected>{label}</option>' in html
    assert "Select an option" not in html


def test_any_other_select_falls_back_to_a_vietnamese_empty_choice(db):
    from django import forms

    field = forms.ModelChoiceField(queryset=Procedure.objects.none())
    assert str(field.empty_label) == "— Chọn —"


def test_the_chief_opens_a_batch(chief, world):
    response = chief.post(
        reverse("postal:batches"),
        {"title": "Hộ tịch quý I", "paper_count": 40, "assigned_to": world.postal_worker.pk},
    )
    assert response.status_code == 302
    refused = chief.post(
        reverse("postal:batches"),
        {"title": "Lô", "paper_count": 0, "assigned_to": world.postal_worker.pk},
    )
    assert "Số hồ sơ giấy phải từ 1 trở lên" in refused.content.decode()


def test_guidance_is_logged_from_the_day_page_and_returns_there(worker, world):
    response = worker.post(
        reverse("postal:guidance"),
        {"topic": "Hỏi thủ tục chứng thực", "outcome": "referred", "next": "/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    session = GuidanceSession.objects.get()
    assert (session.worker, session.outcome) == (world.postal_worker, "referred")
    refused = worker.post(reverse("postal:guidance"), {"topic": "", "outcome": "guided"})
    assert "Ghi nội dung hướng dẫn" in refused.content.decode()


# --- the day and the dashboard ---------------------------------------------------------------


def test_the_postal_workers_home_is_today(worker, world):
    AssignmentFactory(
        ward=world.ward,
        worker=world.postal_worker,
        counter=world.postal_counter,
        assigned_by=world.chief,
        date=dt.date(2026, 3, 6),
        shift="morning",
        task_type="out_of_list_intake",
    )
    AuthorizationFactory(ward=world.ward, worker=world.postal_worker)
    DataEntryBatchFactory(ward=world.ward, assigned_to=world.postal_worker)
    page = worker.get(reverse("home")).content.decode()
    assert "Nhiệm vụ hôm nay" in page
    assert "Tiếp nhận ngoài danh mục" in page
    assert "đang diễn ra" in page
    assert "tiếp nhận ngoài danh mục: hồ sơ ngoài danh mục" in page
    assert "Thủ tục bạn được tiếp nhận (1)" in page
    assert "Quầy của phường" in page


def test_the_home_marks_a_granted_procedure_without_a_verified_term(worker, world):
    AuthorizationFactory(
        ward=world.ward,
        worker=world.postal_worker,
        procedure=ProcedureFactory(unverified=True, name="Chứng thực chữ ký"),
    )
    AuthorizationFactory(
        ward=world.ward,
        worker=world.postal_worker,
        procedure=ProcedureFactory(name="Đăng ký khai tử"),
    )
    page = worker.get(reverse("home")).content.decode()
    listed = page[page.index('data-testid="authorised-procedures"') :]
    listed = listed[: listed.index("</ul>")]
    lines = listed.split("<li>")
    unverified = next(line for line in lines if "Chứng thực chữ ký" in line)
    verified = next(line for line in lines if "Đăng ký khai tử" in line)
    assert "chưa xác minh thời hạn, chưa tiếp nhận được" in unverified
    assert "chưa xác minh" not in verified


@pytest.mark.parametrize(
    ("moment", "in_progress"),
    [
        (at(2026, 3, 6, 0, 10), None),  # Friday just after midnight: no shift yet
        (at(2026, 3, 6, 6, 59), None),
        (at(2026, 3, 6, 7, 0), "Sáng"),
        (at(2026, 3, 6, 11, 45), None),  # lunch
        (at(2026, 3, 6, 14, 0), "Chiều"),
        (at(2026, 3, 6, 17, 0), None),  # closed
        (at(2026, 3, 7, 9, 0), None),  # Saturday
    ],
)
def test_a_shift_is_under_way_only_in_the_counters_hours(worker, moment, in_progress):
    with clock.frozen_at(moment):
        page = worker.get(reverse("home")).content.decode()
    badges = re.findall(
        r"<h3>Ca (\w+) <span class=\"badge info\" data-testid=\"shift-in-progress\">", page
    )
    assert badges == ([in_progress] if in_progress else [])
    assert page.count("đang diễn ra") == len(badges)


def test_today_costs_ten_queries_whatever_the_ward_holds(worker, world, django_assert_num_queries):
    def home():
        return worker.get(reverse("home"))

    stock(world, SOME)
    with django_assert_num_queries(TODAY_QUERIES):
        home()
    stock(world, 2 * SOME)  # three times as much; every list longer than it shows
    with django_assert_num_queries(TODAY_QUERIES):
        page = home().content.decode()
    ready = Dossier.objects.filter(ward=world.ward, status=Status.RESULT_READY).count()
    assert ready > 8
    assert f"Kết quả chờ trả ({ready})" in page
    assert page.count('class="batch-line"') == 3 * SOME
    assert f"Thủ tục bạn được tiếp nhận ({3 * SOME})" in page
    assert f"hôm nay: {3 * SOME}" in page
    catalogue = Procedure.objects.filter(active=True).count()
    assert page.count('<option value="9.') == catalogue  # the guidance form's choices
    assert page.count("Vắng nhà") == 3 * SOME  # the failed deliveries


def test_the_chiefs_home_is_the_dashboard(chief, world):
    AssignmentFactory(
        ward=world.ward,
        worker=world.postal_worker,
        counter=world.postal_counter,
        assigned_by=world.chief,
        date=dt.date(2026, 3, 6),
    )
    page = chief.get(reverse("home")).content.decode()
    for heading in (
        "Phân công hôm nay",
        "Ngoài danh mục chờ xem xét",
        "Hồ sơ quá hạn",
        "Sắp đến hạn",
        "Khối lượng công việc tuần này",
        "Cán bộ, nhân viên",
    ):
        assert heading in page
    assert world.postal_worker.get_full_name() in page


def test_the_dashboard_costs_ten_queries_whatever_the_ward_holds(
    chief, world, django_assert_num_queries
):
    def home():
        return chief.get(reverse("home"))

    stock(world, SOME)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        home()
    stock(world, 2 * SOME)
    # Lists show eight rows; their counts come with them, however long they are.
    with django_assert_num_queries(DASHBOARD_QUERIES):
        page = home().content.decode()
    assert f'data-testid="overdue-count">{3 * SOME}<' in page
    assert f"Xem cả {3 * SOME} hồ sơ" in page
    assert f'data-testid="review-count">{3 * SOME}<' in page
    assert page.count('class="task task-intake"') == 2 * 3 * SOME  # two shifts each, today
    postal = Procedure.objects.filter(active=True, postal_eligible=True).count()
    assert f"{3 * SOME}/{postal}</td>" in page  # the fixture's worker: grants of postal ones
    assert page.count(f"1/{postal}</td>") == 3 * SOME
    assert page.count('class="batch-line"') == 3 * SOME


# Every other page of the back office, as the people who open it: the same cost with three times
# the data, and never more than PAGE_MAX_QUERIES.
BACK_OFFICE_PAGES = {
    "chief": [
        ("postal:roster", None),
        ("postal:roster-slot", None),
        ("postal:assignment", "assignment"),
        ("postal:authorisations", None),
        ("postal:out-of-list", None),
        ("postal:batches", None),
        ("postal:batch", "batch"),
        ("postal:guidance", None),
        ("postal:accounts", None),
        ("postal:account", "account"),
        ("postal:counters", None),
        ("postal:counter", "counter"),
        ("deliveries:list", None),
    ],
    "postal_worker": [
        ("postal:roster", None),
        ("postal:batches", None),
        ("postal:batch", "batch"),
        ("postal:batch-entry", "batch"),
        ("postal:guidance", None),
        ("deliveries:list", None),
    ],
}


@pytest.mark.parametrize(
    ("role", "name", "subject"),
    [(role, name, subject) for role, pages in BACK_OFFICE_PAGES.items() for name, subject in pages],
)
def test_back_office_pages_cost_the_same_whatever_the_ward_holds(
    client, world, friday, role, name, subject
):
    subjects = {
        "assignment": AssignmentFactory(
            ward=world.ward,
            worker=world.postal_worker,
            counter=world.postal_counter,
            assigned_by=world.chief,
            date=FRIDAY.date(),
        ),
        "batch": DataEntryBatchFactory(
            ward=world.ward, assigned_to=world.postal_worker, created_by=world.chief
        ),
        "account": world.postal_worker,
        "counter": world.postal_counter,
    }
    url = reverse(name, args=[subjects[subject].pk] if subject else [])
    if name == "postal:roster-slot":
        url = slot_url(world, day=FRIDAY.date())
    client.force_login(getattr(world, role))

    stock(world, SOME)
    few = queries(lambda: client.get(url))
    stock(world, 2 * SOME)
    assert queries(lambda: client.get(url)) == few
    assert few <= PAGE_MAX_QUERIES


# --- accounts, counters, password ------------------------------------------------------------


def test_a_new_accounts_password_is_shown_once(chief, world):
    response = chief.post(
        reverse("postal:account-create"),
        {"username": "postal9.phuhoa", "last_name": "Phan Thị", "first_name": "Mơ", "phone": ""},
    )
    assert response.status_code == 302
    page = chief.get(response["Location"]).content.decode()
    assert 'data-testid="one-time-password"' in page
    assert 'data-testid="one-time-password"' not in chief.get(response["Location"]).content.decode()


def test_the_account_form_shows_every_error_at_once(chief, world):
    accounts = User.objects.count()
    response = chief.post(
        reverse("postal:account-create"),
        {"username": "Bưu Điện!", "last_name": "Phan Thị", "first_name": "  ", "phone": "12345"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"username", "first_name", "phone"}
    html = response.content.decode()
    assert "Tên đăng nhập gồm 3–50 ký tự" in html
    assert User.objects.count() == accounts
    # A username already in use is said beside the other problems too.
    taken = (
        chief.post(
            reverse("postal:account-create"),
            {"username": world.postal_worker.username, "last_name": "", "first_name": "Mơ"},
        )
        .context["form"]
        .errors
    )
    assert set(taken) == {"username", "last_name"}
    assert "đã có người dùng" in taken["username"][0]


def test_the_profile_form_shows_every_error_at_once(chief, world):
    response = chief.post(
        reverse("postal:account", args=[world.postal_worker.pk]),
        {"last_name": " ", "first_name": "", "phone": "abc"},
    )
    assert set(response.context["form"].errors) == {"last_name", "first_name", "phone"}


def test_a_one_time_password_must_be_changed_first(client, world, friday):
    world.postal_worker.must_change_password = True
    world.postal_worker.save()
    client.force_login(world.postal_worker)
    response = client.get(reverse("postal:roster"))
    assert response.status_code == 302
    assert response["Location"] == reverse("postal:password-change")
    form = client.get(reverse("postal:password-change")).content.decode()
    assert "mật khẩu tạm thời" in form
    changed = client.post(
        reverse("postal:password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Quay-buu-dien-2026",
            "new_password2": "Quay-buu-dien-2026",
        },
    )
    assert changed.status_code == 302
    world.postal_worker.refresh_from_db()
    assert not world.postal_worker.must_change_password
    assert client.get(reverse("postal:roster")).status_code == 200


def test_the_chief_opens_a_counter_and_a_duplicate_number_is_refused(chief, world):
    response = chief.post(
        reverse("postal:counters"),
        {"number": 6, "name": "Quầy Bưu điện 2", "kind": "postal", "has_computer": "on"},
    )
    assert response.status_code == 302
    again = chief.post(reverse("postal:counters"), {"number": 6, "name": "X", "kind": "postal"})
    assert "Phường đã có quầy số 6" in again.content.decode()
    assert 'value="X"' in again.content.decode()


def test_locking_an_account_from_its_page(chief, world):
    url = reverse("postal:account-deactivate", args=[world.postal_worker.pk])
    chief.post(url, {"note": "Nghỉ việc"})
    world.postal_worker.refresh_from_db()
    assert not world.postal_worker.is_active
    page = chief.get(reverse("postal:account", args=[world.postal_worker.pk])).content.decode()
    assert "Khoá tài khoản" in page and "Nghỉ việc" in page


def test_the_admin_reads_the_back_office_and_changes_no_history(client, world, friday):
    AssignmentFactory(ward=world.ward, worker=world.postal_worker, date=MONDAY)
    client.force_login(UserFactory(superuser=True))
    for model in ("assignment", "procedureauthorization", "dataentrybatch", "assignmentchange"):
        assert client.get(reverse(f"admin:postal_{model}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:postal_{model}_add")).status_code == 403
    assignment = Assignment.objects.get()
    page = client.get(reverse("admin:postal_assignment_change", args=[assignment.pk]))
    assert page.status_code == 200
    assert (
        client.post(reverse("admin:postal_assignment_delete", args=[assignment.pk])).status_code
        == 403
    )
