"""The deadline rules of a dossier's edition (intake.services.deadlines): the supplement
window, the term restarted on completion, the apology's window, calendar-day terms — through the
services, the pages, the API and the catalogue import."""

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from intake import editions
from intake.catalogue import catalogue_check
from intake.models import Dossier, Procedure, Status
from intake.services import StepInput, dossier_receive, dossier_step
from onestop import clock
from onestop.errors import Conflict, InvalidInput
from tests.intake.factories import ProcedureFactory
from wards.calendar import VIETNAM_TZ


@pytest.fixture(autouse=True)
def intake_rules_of_intake_only(settings):
    settings.INTAKE_RULES = []


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=VIETNAM_TZ)


def receive(world, moment, procedure=None) -> Dossier:
    with clock.frozen_at(moment):
        return dossier_receive(
            user=world.officer,
            procedure=procedure or ProcedureFactory(processing_days=3),
            channel=1,
            applicant_name="Nguyễn Thị Mai",
            applicant_id_number="074190001234",
            applicant_address="12 Yersin, Phú Hòa",
        ).dossier


def step(user, dossier, action, moment, note="Ghi chú", **details) -> Dossier:
    with clock.frozen_at(moment):
        return dossier_step(
            user=user, code=dossier.code, action=action, note=note, details=StepInput(**details)
        )


def request_supplement(world, dossier, moment) -> Dossier:
    return step(world.officer, dossier, "request_supplement", moment, note="Bản sao CCCD")


# --- the supplement window --------------------------------------------------------------------

# Received Monday 9/3/2026 10:00: the window is three working days after the receipt's day,
# until 17:00 of Thursday 12/3 (intake.services.deadlines.supplement_last_day).
MONDAY_10 = at(2026, 3, 9, 10, 0)


@pytest.mark.parametrize(
    ("requested", "allowed"),
    [
        (at(2026, 3, 9, 14, 0), True),  # the day of receipt
        (at(2026, 3, 10, 9, 0), True),  # working day 1 (Tuesday)
        (at(2026, 3, 12, 10, 1), True),  # working day 3, after the hour of receipt
        (at(2026, 3, 12, 17, 0), True),  # working day 3 at closing time: the last moment
        (at(2026, 3, 12, 17, 1), False),  # a minute later counts on Friday
        (at(2026, 3, 13, 8, 0), False),  # working day 4 (Friday)
        (at(2026, 3, 14, 9, 0), False),  # Saturday counts on Monday, day 5
    ],
)
def test_a_supplement_is_asked_within_three_working_days_of_receipt(world, requested, allowed):
    dossier = receive(world, MONDAY_10)
    step(world.officer, dossier, "transfer", at(2026, 3, 9, 11, 0))
    if allowed:
        assert request_supplement(world, dossier, requested).status == Status.NEEDS_SUPPLEMENT
        return
    with pytest.raises(Conflict) as refused:
        request_supplement(world, dossier, requested)
    assert "12/03/2026" in refused.value.message  # names the last allowed day
    assert "3 ngày làm việc" in refused.value.message
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert (dossier.status, dossier.supplement_count, dossier.paused_since) == (
        Status.PROCESSING,
        0,
        None,
    )
    assert not dossier.events.filter(action="request_supplement").exists()


def test_a_procedure_with_its_own_window_keeps_it_and_later_edits_do_not_change_it(world):
    # A specialised law gives 10 working days: Monday 9/3 -> until Monday 23/3 17:00.
    procedure = ProcedureFactory(processing_days=15, supplement_window_days=10)
    dossier = receive(world, MONDAY_10, procedure)
    assert dossier.supplement_window_days == 10
    Procedure.objects.filter(pk=procedure.pk).update(supplement_window_days=None)
    step(world.officer, dossier, "transfer", at(2026, 3, 9, 11, 0))
    with pytest.raises(Conflict) as refused:
        request_supplement(world, dossier, at(2026, 3, 24, 7, 0))
    assert "23/03/2026" in refused.value.message and "10 ngày làm việc" in refused.value.message
    assert request_supplement(world, dossier, at(2026, 3, 23, 17, 0)).supplement_count == 1


def test_the_window_is_the_editions(world, monkeypatch):
    # The number comes from the edition in force at receipt, not from a constant.
    wider = [
        editions.Edition(**{**vars(e), "supplement_window_working_days": 5})
        for e in editions.editions()
    ]
    monkeypatch.setattr(editions, "editions", lambda: tuple(wider))
    dossier = receive(world, MONDAY_10)
    step(world.officer, dossier, "transfer", at(2026, 3, 9, 11, 0))
    # Five working days after Monday 9/3: until Monday 16/3 17:00.
    assert request_supplement(world, dossier, at(2026, 3, 16, 16, 0)).supplement_count == 1


def test_a_second_request_is_also_within_the_window_of_receipt(world):
    dossier = receive(world, MONDAY_10)
    step(world.officer, dossier, "transfer", at(2026, 3, 9, 11, 0))
    request_supplement(world, dossier, at(2026, 3, 9, 14, 0))
    step(world.postal_worker, dossier, "supplement", at(2026, 3, 11, 9, 0))
    # Completion does not open a new window: the law counts from receipt.
    with pytest.raises(Conflict):
        request_supplement(world, dossier, at(2026, 3, 13, 9, 0))
    assert request_supplement(world, dossier, at(2026, 3, 12, 16, 0)).supplement_count == 2


# --- completion: the term restarts ------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "requested", "completed", "days", "unit", "restarted"),
    [
        # Before Tết: Monday 2/2/2026, completed Wednesday 4/2 10:00, 3 working days ->
        # Monday 9/2 10:00.
        (at(2026, 2, 2, 9), at(2026, 2, 2, 10), at(2026, 2, 4, 10), 3, "working_days",
         at(2026, 2, 9, 10)),
        # Completed just before Tết: Thursday 12/2 15:00 + 3 working days -> Friday 13/2,
        # then Tết (14-22/2) -> Tuesday 24/2 15:00.
        (at(2026, 2, 10, 9), at(2026, 2, 10, 10), at(2026, 2, 12, 15), 3, "working_days",
         at(2026, 2, 24, 15)),
        # Completed during Tết (the papers left in the box on Wednesday 18/2): the term
        # counts from the first opening after it, Monday 23/2 07:00 -> Thursday 26/2 07:00.
        (at(2026, 2, 11, 9), at(2026, 2, 11, 10), at(2026, 2, 18, 9), 3, "working_days",
         at(2026, 2, 26, 7)),
        # After Tết: Tuesday 24/2 14:00 -> Friday 27/2 14:00.
        (at(2026, 2, 23, 9), at(2026, 2, 23, 10), at(2026, 2, 24, 14), 3, "working_days",
         at(2026, 2, 27, 14)),
        # A calendar-day procedure (15 days) completed Wednesday 11/2: the last day is
        # Thursday 26/2 (Tết's days count as days), closing time.
        (at(2026, 2, 9, 9), at(2026, 2, 9, 10), at(2026, 2, 11, 9), 15, "calendar_days",
         at(2026, 2, 26, 17)),
        # A calendar-day procedure (7 days) completed Monday 9/2: Monday 16/2 falls in Tết
        # -> the next working day, Monday 23/2, closing time.
        (at(2026, 2, 5, 9), at(2026, 2, 5, 10), at(2026, 2, 9, 9), 7, "calendar_days",
         at(2026, 2, 23, 17)),
    ],
)  # fmt: skip
def test_completion_restarts_the_full_term(
    world, received, requested, completed, days, unit, restarted
):
    procedure = ProcedureFactory(processing_days=days, term_unit=unit)
    dossier = receive(world, received, procedure)
    step(world.officer, dossier, "transfer", received + dt.timedelta(minutes=30))
    request_supplement(world, dossier, requested)
    dossier = step(world.postal_worker, dossier, "supplement", completed)
    assert dossier.appointment_at == restarted
    assert dossier.events.get(action="supplement").appointment_at == restarted
    # Timeliness is judged against the restarted appointment.
    resolved = step(world.officer, dossier, "resolve", restarted - dt.timedelta(minutes=1))
    assert resolved.timeliness == "on_time"


def test_a_dossier_paused_before_the_change_restarts_when_completed(world):
    """A dossier already waiting (paused_since set, as stored before the restart rule) keeps
    its history and gets the full term from its completion."""
    dossier = receive(world, MONDAY_10)
    step(world.officer, dossier, "transfer", at(2026, 3, 9, 11, 0))
    request_supplement(world, dossier, at(2026, 3, 9, 14, 0))
    Dossier.objects.filter(pk=dossier.pk).update(paused_seconds=3600)  # an earlier pause
    dossier = step(world.postal_worker, dossier, "supplement", at(2026, 3, 16, 9, 0))
    assert dossier.appointment_at == at(2026, 3, 19, 9, 0)
    # The wait is added to the history: Monday 14:00 -> 17:00 (3 h), Tuesday to Friday (32 h),
    # Monday 07:00 -> 09:00 (2 h).
    assert dossier.paused_seconds == 3600 + 37 * 3600
    assert dossier.paused_since is None


def test_an_edition_without_the_restart_moves_the_appointment_by_the_wait(world, monkeypatch):
    pausing = [
        editions.Edition(**{**vars(e), "supplement_restarts_term": False})
        for e in editions.editions()
    ]
    monkeypatch.setattr(editions, "editions", lambda: tuple(pausing))
    dossier = receive(world, MONDAY_10)  # due Thursday 12/3 10:00
    step(world.officer, dossier, "transfer", at(2026, 3, 9, 11, 0))
    request_supplement(world, dossier, at(2026, 3, 10, 10, 0))
    dossier = step(world.postal_worker, dossier, "supplement", at(2026, 3, 11, 10, 0))
    # Waited Tuesday 10:00 -> Wednesday 10:00, one working day: due Friday 13/3 10:00.
    assert dossier.appointment_at == at(2026, 3, 13, 10, 0)


# --- the apology's window ---------------------------------------------------------------------

# Received Monday 9/3/2026 09:00, 3 working days: due Thursday 12/3 09:00. One working day
# before the appointment's day is Wednesday 11/3: the apology is made by 17:00 that day.


@pytest.mark.parametrize(
    ("apologised", "allowed"),
    [
        (at(2026, 3, 9, 10, 0), True),  # the day of receipt
        (at(2026, 3, 11, 16, 59), True),
        (at(2026, 3, 11, 17, 0), True),  # Wednesday at closing time: the last moment
        (at(2026, 3, 11, 17, 1), False),  # the boundary minute: counts on Thursday
        (at(2026, 3, 12, 7, 0), False),  # the appointment's day
        (at(2026, 3, 12, 10, 0), False),  # after the appointment
        (at(2026, 3, 16, 9, 0), False),  # days late
    ],
)
def test_an_apology_is_made_at_least_one_working_day_before_the_appointment(
    world, apologised, allowed
):
    dossier = receive(world, at(2026, 3, 9, 9, 0))
    assert dossier.appointment_at == at(2026, 3, 12, 9, 0)
    step(world.officer, dossier, "transfer", at(2026, 3, 9, 9, 30))
    new_date = at(2026, 3, 18, 9, 0)
    if allowed:
        dossier = step(
            world.officer, dossier, "apologise", apologised, note="Chờ xác minh",
            new_appointment_at=new_date,
        )  # fmt: skip
        assert dossier.apology_appointment_at == new_date
        return
    with pytest.raises(Conflict) as refused:
        step(
            world.officer, dossier, "apologise", apologised, note="Chờ xác minh",
            new_appointment_at=new_date,
        )  # fmt: skip
    assert "11/03/2026" in refused.value.message
    assert Dossier.objects.get(pk=dossier.pk).apology_appointment_at is None
    assert not dossier.events.filter(action="apologise").exists()


def test_an_apology_before_a_monday_appointment_is_made_by_friday(world):
    # Received Wednesday 11/3 09:00, due Monday 16/3 09:00: the working day before is Friday.
    dossier = receive(world, at(2026, 3, 11, 9, 0))
    step(world.officer, dossier, "transfer", at(2026, 3, 11, 9, 30))
    with pytest.raises(Conflict):
        step(
            world.officer, dossier, "apologise", at(2026, 3, 14, 9, 0), note="Chậm",
            new_appointment_at=at(2026, 3, 20, 9, 0),
        )  # fmt: skip
    step(
        world.officer, dossier, "apologise", at(2026, 3, 13, 17, 0), note="Chậm",
        new_appointment_at=at(2026, 3, 20, 9, 0),
    )  # fmt: skip


def test_only_one_apology_even_after_a_restart_voided_its_date(world):
    dossier = receive(world, at(2026, 3, 9, 9, 0))  # due Thursday 12/3 09:00
    step(world.officer, dossier, "transfer", at(2026, 3, 9, 9, 30))
    step(
        world.officer, dossier, "apologise", at(2026, 3, 9, 10, 0), note="Chậm",
        new_appointment_at=at(2026, 3, 13, 9, 0),
    )  # fmt: skip
    request_supplement(world, dossier, at(2026, 3, 9, 11, 0))
    dossier = step(world.postal_worker, dossier, "supplement", at(2026, 3, 10, 9, 0))
    assert dossier.apology_appointment_at is None  # 13/3 09:00 is the restarted date itself
    with pytest.raises(Conflict) as refused:
        step(
            world.officer, dossier, "apologise", at(2026, 3, 10, 10, 0), note="Lần hai",
            new_appointment_at=at(2026, 3, 20, 9, 0),
        )  # fmt: skip
    assert "một lần" in refused.value.message or "1 lần" in refused.value.message


def test_the_dossier_page_says_why_a_closed_step_is_not_offered(world, client):
    dossier = receive(world, MONDAY_10)
    step(world.officer, dossier, "transfer", at(2026, 3, 9, 11, 0))
    client.force_login(world.officer)
    detail = reverse("intake:dossier-detail", args=[dossier.code])

    def page(moment) -> str:
        with clock.frozen_at(moment):
            return client.get(detail).content.decode()

    # Within both windows both steps are offered as forms.
    html = page(at(2026, 3, 10, 8, 30))
    assert 'data-testid="step-request_supplement"' in html
    assert 'data-testid="step-apologise"' in html
    assert 'data-testid="closed-step"' not in html
    # Once the apology is made, a second one is not offered, and the page says why.
    step(
        world.officer, dossier, "apologise", at(2026, 3, 10, 9, 0), note="Chậm",
        new_appointment_at=at(2026, 3, 20, 9, 0),
    )  # fmt: skip
    html = page(at(2026, 3, 10, 10, 0))
    assert 'data-testid="step-apologise"' not in html
    assert "chỉ được hẹn lại 1 lần" in html
    assert 'data-testid="step-request_supplement"' in html
    # Friday: the supplement window closed on Thursday; the page says so instead of a button.
    html = page(at(2026, 3, 13, 8, 0))
    assert 'data-testid="step-request_supplement"' not in html
    assert "chậm nhất 17:00 ngày 12/03/2026" in html


# --- calendar-day procedures ------------------------------------------------------------------


def test_a_calendar_day_procedure_is_due_at_the_close_of_its_last_day(world):
    procedure = ProcedureFactory(processing_days=15, calendar_days=True)
    # Friday 13/2/2026 + 15 days -> Saturday 28/2 -> Monday 2/3, 17:00.
    dossier = receive(world, at(2026, 2, 13, 9, 0), procedure)
    assert dossier.term_unit == "calendar_days"
    assert dossier.appointment_at == at(2026, 3, 2, 17, 0)
    # The snapshot holds when the catalogue changes its unit.
    Procedure.objects.filter(pk=procedure.pk).update(term_unit="working_days")
    assert Dossier.objects.get(pk=dossier.pk).term_label == "15 ngày"


def test_the_receipt_prints_the_terms_unit(world, client):
    client.force_login(world.officer)
    for procedure, text in [
        (ProcedureFactory(processing_days=15, calendar_days=True), "15 ngày</span>"),
        (ProcedureFactory(processing_days=3), "3 ngày làm việc</span>"),
        (ProcedureFactory(processing_days=0, calendar_days=True), "trong ngày</span>"),
    ]:
        dossier = receive(world, at(2026, 3, 9, 9, 0), procedure)
        html = client.get(reverse("intake:receipt", args=[dossier.code])).content.decode()
        assert f'data-testid="receipt-term">{text}' in html


def test_the_new_receipt_after_completion(world, client):
    dossier = receive(world, MONDAY_10)
    client.force_login(world.officer)
    detail = reverse("intake:dossier-detail", args=[dossier.code])
    renewed = reverse("intake:receipt", args=[dossier.code]) + "?bo-sung=1"
    assert client.get(renewed).status_code == 404  # never completed: no new receipt
    assert 'data-testid="renewed-receipt"' not in client.get(detail).content.decode()
    step(world.officer, dossier, "transfer", at(2026, 3, 9, 11, 0))
    request_supplement(world, dossier, at(2026, 3, 10, 9, 0))
    step(world.postal_worker, dossier, "supplement", at(2026, 3, 11, 14, 30))
    assert 'data-testid="renewed-receipt"' in client.get(detail).content.decode()
    html = client.get(renewed).content.decode()
    assert 'data-testid="receipt-renewed"' in html
    # Issued on the completion, with the restarted appointment: Wed 11/3 14:30 + 3 days.
    assert "ngày 11 tháng 03 năm 2026" in html
    assert "14 giờ 30 phút, ngày 11/03/2026" in html
    assert "14 giờ 30 phút, Thứ 2 ngày 16/03/2026" in html
    first = client.get(reverse("intake:receipt", args=[dossier.code])).content.decode()
    assert 'data-testid="receipt-renewed"' not in first
    assert "10 giờ 00 phút, ngày 09/03/2026" in first
    pdf = client.get(reverse("intake:receipt-pdf", args=[dossier.code]) + "?bo-sung=1")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


# --- the API ----------------------------------------------------------------------------------


def api_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def transition(user, dossier, moment, **data):
    with clock.frozen_at(moment):
        return api_for(user).post(
            reverse("dossier-transitions", kwargs={"code": dossier.code}), data, format="json"
        )


def test_the_api_answers_409_with_the_message_and_changes_nothing(world):
    dossier = receive(world, MONDAY_10)
    step(world.officer, dossier, "transfer", at(2026, 3, 9, 11, 0))
    late = transition(
        world.officer, dossier, at(2026, 3, 13, 9, 0), action="request_supplement", note="Thiếu"
    )
    assert late.status_code == 409
    assert "quá thời hạn yêu cầu bổ sung" in late.json()["detail"]
    assert "12/03/2026" in late.json()["detail"]
    apology = transition(
        world.officer, dossier, at(2026, 3, 12, 9, 0), action="apologise", note="Chậm",
        new_appointment_at="2026-03-20T09:00:00+07:00",
    )  # fmt: skip
    assert apology.status_code == 409
    assert "quá thời hạn xin lỗi" in apology.json()["detail"]
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert (dossier.status, dossier.apology_appointment_at) == (Status.PROCESSING, None)
    # In time but without a date: 400 on the field.
    missing = transition(
        world.officer, dossier, at(2026, 3, 10, 9, 0), action="apologise", note="Chậm"
    )
    assert missing.status_code == 400
    assert "new_appointment_at" in missing.json()


def test_the_api_shows_the_term_unit(world):
    procedure = ProcedureFactory(code="2.000806", processing_days=15, calendar_days=True)
    api = api_for(world.postal_worker)
    body = api.get(reverse("procedure-detail", kwargs={"code": procedure.code})).json()
    assert (body["term_unit"], body["supplement_window_days"]) == ("calendar_days", None)
    url = reverse("procedure-appointment", kwargs={"code": procedure.code})
    answer = api.get(url, {"received_at": "2026-02-13T09:00:00+07:00"}).json()
    assert answer["appointment_at"] == "2026-03-02T17:00:00+07:00"
    assert answer["term_unit"] == "calendar_days"
    dossier = receive(world, at(2026, 2, 13, 9, 0), procedure)
    detail = api.get(reverse("dossier-detail", kwargs={"code": dossier.code})).json()
    assert detail["term_unit"] == "calendar_days"


# --- the catalogue ----------------------------------------------------------------------------


def test_import_reads_the_unit_and_the_window(db):
    result = catalogue_check(
        content=(
            "Mã thủ tục,Tên thủ tục,Lĩnh vực,Cấp,Thời hạn,Đơn vị thời hạn,"
            "Thời hạn yêu cầu bổ sung\n"
            "1.000010,Cấp phép,Xây dựng,xã,15,ngày,\n"
            "1.000011,Đăng ký,Hộ tịch,xã,3,Ngày làm việc,5\n"
            "1.000012,Chứng thực,Chứng thực,xã,0,,\n"
        ).encode(),
        filename="danh-muc.csv",
    )
    values = {row.code: row.values for row in result.accepted}
    assert values["1.000010"]["term_unit"] == "calendar_days"
    assert values["1.000010"]["supplement_window_days"] is None
    assert values["1.000011"]["term_unit"] == "working_days"
    assert values["1.000011"]["supplement_window_days"] == 5
    assert "term_unit" not in values["1.000012"]  # empty: the catalogue keeps its unit


def test_import_with_an_unknown_unit_imports_nothing_and_names_the_row(world):
    before = Procedure.objects.count()
    with pytest.raises(InvalidInput) as refused:
        catalogue_check(
            content=(
                "Mã thủ tục,Tên thủ tục,Lĩnh vực,Cấp,Thời hạn,Đơn vị thời hạn\n"
                "1.000010,Cấp phép,Xây dựng,xã,15,ngày\n"
                "1.000011,Đăng ký,Hộ tịch,xã,2,tuần\n"
            ).encode(),
            filename="danh-muc.csv",
        )
    assert refused.value.field == "file"
    assert "dòng 3" in refused.value.message and "tuần" in refused.value.message
    assert "Chưa nhập dòng nào" in refused.value.message
    assert Procedure.objects.count() == before


def test_the_import_page_refuses_an_unknown_unit(world, client):
    client.force_login(world.city_admin)
    upload = (
        "Mã thủ tục,Tên thủ tục,Lĩnh vực,Cấp,Thời hạn,Đơn vị thời hạn\n"
        "1.000011,Đăng ký,Hộ tịch,xã,2,tuần\n"
    ).encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("catalogue:import"), {"file": SimpleUploadedFile("dm.csv", upload)}
    )
    assert response.status_code == 200
    assert "Đơn vị thời hạn không rõ ở dòng 2" in response.content.decode()
    assert not Procedure.objects.filter(code="1.000011").exists()


def test_the_catalogue_form_edits_the_unit_and_the_window(world, client):
    procedure = ProcedureFactory(processing_days=15)
    client.force_login(world.city_admin)
    url = reverse("catalogue:edit", args=[procedure.code])
    form = {
        "name": procedure.name, "field": procedure.field, "level": "ward",
        "processing_days": "15", "term_unit": "calendar_days", "supplement_window_days": "10",
    }  # fmt: skip
    assert client.post(url, form).status_code == 302
    procedure.refresh_from_db()
    assert (procedure.term_unit, procedure.supplement_window_days) == ("calendar_days", 10)
    assert client.post(url, {**form, "term_unit": "weeks"}).status_code == 200
    procedure.refresh_from_db()
    assert procedure.term_unit == "calendar_days"
    listing = client.get(reverse("catalogue:list"), {"q": procedure.code}).content.decode()
    assert "15 ngày<" in listing
