"""Intake and the lifecycle services: snapshots, codes, PINs, supplements, apologies, returns."""

import datetime as dt

import pytest
from django.db import connection

from intake.models import Dossier, DossierEvent, DossierSequence, Status
from intake.services import (
    Receipt,
    StepInput,
    dossier_receive,
    dossier_step,
    lookup_pin_digest,
    lookup_pin_matches,
)
from onestop import clock
from onestop.errors import Conflict, InvalidInput, NotAllowed
from tests.intake.factories import KNOWN_PIN, DossierEventFactory, DossierFactory, ProcedureFactory
from tests.wards.factories import CalendarExceptionFactory, CounterFactory
from wards.calendar import VIETNAM_TZ


@pytest.fixture(autouse=True)
def intake_rules_of_intake_only(settings):
    # Who may receive what at a postal counter is postal's rule, tested with postal; here any
    # ward staff member receives, so the dossier core is tested on its own.
    settings.INTAKE_RULES = []


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=VIETNAM_TZ)


# Tuesday 10 March 2026 — an ordinary working week (Monday 9 to Friday 13).
TUESDAY_9 = at(2026, 3, 10, 9, 0)
APPLICANT_ID = "074190001234"


def receive(user, *, moment=TUESDAY_9, procedure=None, **kwargs) -> Receipt:
    kwargs = {
        "channel": 1,
        "applicant_name": "Nguyễn Thị Mai",
        "applicant_id_number": APPLICANT_ID,
        "applicant_address": "12 Yersin, Phú Hòa",
        **kwargs,
    }
    with clock.frozen_at(moment):
        return dossier_receive(
            user=user, procedure=procedure or ProcedureFactory(processing_days=3), **kwargs
        )


def step(user, dossier, action, *, moment, note="Ghi chú", **details):
    with clock.frozen_at(moment):
        return dossier_step(
            user=user, code=dossier.code, action=action, note=note, details=StepInput(**details)
        )


def stepped(world, dossier, *actions, start):
    """Take `actions` as the officer, ten minutes apart from `start`."""
    for number, action in enumerate(actions):
        dossier = step(
            world.officer, dossier, action, moment=start + dt.timedelta(minutes=10 * number)
        )
    return dossier


# --- intake ----------------------------------------------------------------------------------


def test_intake_copies_the_procedure_and_later_edits_change_nothing(world):
    procedure = ProcedureFactory(
        name="Đăng ký khai sinh",
        processing_days=3,
        fee=8000,
        components=[{"name": "Tờ khai đăng ký khai sinh", "originals": 1, "copies": 0}],
    )
    dossier = receive(world.postal_worker, procedure=procedure).dossier

    procedure.name = "Đăng ký khai sinh (sửa đổi)"
    procedure.processing_days = 10
    procedure.fee = 50000
    procedure.components = [{"name": "Giấy khác", "originals": 2, "copies": 2}]
    procedure.save()

    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.procedure_name == "Đăng ký khai sinh"
    assert dossier.processing_days == 3
    assert dossier.fee == 8000
    assert dossier.components == [
        {"name": "Tờ khai đăng ký khai sinh", "originals": 1, "copies": 0}
    ]
    # Tuesday 09:00 + 3 working days → Friday 09:00.
    assert dossier.appointment_at == at(2026, 3, 13, 9, 0)


def test_intake_records_who_received_it_and_the_first_event(world):
    receipt = receive(
        world.postal_worker, counter=world.postal_counter, notes="Bản sao có chứng thực"
    )
    dossier = receipt.dossier
    assert dossier.status == Status.RECEIVED
    assert dossier.national_status == 2
    assert dossier.receiver_kind == "postal_worker"
    assert dossier.received_by == world.postal_worker
    assert dossier.received_at == TUESDAY_9
    assert dossier.applicant_name_search == "nguyen thi mai"
    assert dossier.resolving_agency == f"UBND {world.ward}"
    (event,) = dossier.events.all()
    assert (event.action, event.from_status, event.to_status) == ("receive", "", "received")
    assert (event.actor, event.actor_role, event.at) == (
        world.postal_worker,
        "postal_worker",
        TUESDAY_9,
    )
    assert event.counter == world.postal_counter
    assert event.appointment_at == dossier.appointment_at
    assert event.from_unit == "Nguyễn Thị Mai"
    # Received in 2026: the unit of the 2025 edition (tests/intake/test_documents.py has both).
    assert event.to_unit == f"Trung tâm phục vụ hành chính công {world.ward}"
    assert receive(world.officer).dossier.receiver_kind == "officer"


def test_codes_are_numbered_per_ward_and_local_day(world):
    unit = world.ward.unit_identifier
    first = receive(world.officer, moment=at(2026, 3, 10, 8, 0)).dossier
    second = receive(world.postal_worker, moment=at(2026, 3, 10, 9, 0)).dossier
    elsewhere = receive(world.other_officer, moment=at(2026, 3, 10, 9, 30)).dossier
    third = receive(world.chief, moment=at(2026, 3, 10, 10, 0)).dossier
    next_day = receive(world.officer, moment=at(2026, 3, 11, 8, 0)).dossier
    assert [first.code, second.code, third.code] == [
        f"{unit}-260310-0001",
        f"{unit}-260310-0002",
        f"{unit}-260310-0003",
    ]
    assert elsewhere.code == f"{world.other_ward.unit_identifier}-260310-0001"
    assert next_day.code == f"{unit}-260311-0001"


def test_the_code_day_is_the_local_day_not_utc(world):
    unit = world.ward.unit_identifier
    # 23:30 in Vietnam is 16:30 UTC the same day; 00:30 is 17:30 UTC the day before.
    late = receive(world.officer, moment=at(2026, 3, 10, 23, 30)).dossier
    after_midnight = receive(world.officer, moment=at(2026, 3, 11, 0, 30)).dossier
    assert late.code == f"{unit}-260310-0001"
    assert after_midnight.code == f"{unit}-260311-0001"


def test_data_entry_of_an_earlier_receipt_numbers_on_that_day(world):
    earlier = at(2026, 3, 2, 14, 0)
    dossier = receive(world.postal_worker, moment=TUESDAY_9, received_at=earlier).dossier
    assert dossier.code == f"{world.ward.unit_identifier}-260302-0001"
    assert dossier.received_at == earlier
    assert dossier.events.get().at == TUESDAY_9  # the event says when it was entered


def test_the_pin_is_stored_only_as_a_keyed_digest(world):
    receipt = receive(world.officer)
    pin = receipt.lookup_pin
    assert len(pin) == 6 and pin.isdigit()
    dossier = receipt.dossier
    assert lookup_pin_matches(dossier, pin)
    assert not lookup_pin_matches(dossier, f"{(int(pin) + 1) % 10**6:06d}")
    assert dossier.lookup_pin_hash == lookup_pin_digest(dossier.code, pin)
    # The digest depends on the code: the same PIN on another dossier does not match.
    assert lookup_pin_digest("X-260310-0001", pin) != dossier.lookup_pin_hash
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM intake_dossier WHERE id = %s", [dossier.pk])
        row = cursor.fetchone()
    texts = [value for value in row if isinstance(value, str)]
    assert all(pin not in text for text in texts if text != dossier.lookup_pin_hash)
    assert pin != dossier.lookup_pin_hash and len(dossier.lookup_pin_hash) == 64
    assert not DossierEvent.objects.filter(note__contains=pin).exists()


def test_receive_with_the_same_request_id_is_done_once(world):
    first = receive(world.officer, request_id="form-1")
    again = receive(world.officer, request_id="form-1")
    assert again.dossier.pk == first.dossier.pk
    assert again.lookup_pin == ""  # shown once only
    assert Dossier.objects.count() == 1
    assert DossierSequence.objects.get().last_number == 1
    other = receive(world.officer, request_id="form-2")
    assert other.dossier.pk != first.dossier.pk


def test_a_request_id_of_another_ward_never_returns_its_dossier(world):
    mine = receive(world.officer, request_id="form-1").dossier
    theirs = receive(world.other_officer, request_id="form-1").dossier
    assert theirs.pk != mine.pk
    assert theirs.ward == world.other_ward


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"processing_days": None}, "procedure"),
        ({"active": False}, "procedure"),
    ],
)
def test_procedures_that_cannot_be_received(world, changes, field):
    procedure = ProcedureFactory(**changes)
    with pytest.raises(InvalidInput) as raised:
        receive(world.officer, procedure=procedure)
    assert raised.value.field == field
    assert not Dossier.objects.exists()
    assert not DossierSequence.objects.exists()


def test_a_counter_of_another_ward_is_refused(world):
    with pytest.raises(InvalidInput) as raised:
        receive(world.officer, counter=world.other_counter)
    assert raised.value.field == "counter"
    closed = CounterFactory(ward=world.ward, number=9, active=False)
    with pytest.raises(InvalidInput):
        receive(world.officer, counter=closed)
    assert not Dossier.objects.exists()


def test_a_receipt_in_the_future_is_refused(world):
    with pytest.raises(InvalidInput) as raised:
        receive(world.officer, received_at=TUESDAY_9 + dt.timedelta(minutes=1))
    assert raised.value.field == "received_at"
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"channel": 4}, "channel"),
        ({"sets": 0}, "sets"),
        ({"applicant_name": "   "}, "applicant_name"),
        ({"applicant_id_number": "07419000123"}, "applicant_id_number"),
        ({"applicant_id_number": "07419000123x"}, "applicant_id_number"),
        ({"applicant_id_number": "０７４１９０００１２３４"}, "applicant_id_number"),
        ({"applicant_address": ""}, "applicant_address"),
        ({"applicant_address": "x" * 301}, "applicant_address"),
        ({"applicant_phone": "0" * 16}, "applicant_phone"),
    ],
)
def test_intake_input_is_checked(world, changes, field):
    with pytest.raises(InvalidInput) as raised:
        receive(world.officer, **changes)
    assert raised.value.field == field
    assert not Dossier.objects.exists()


def test_city_admins_do_not_receive(world):
    with pytest.raises(NotAllowed):
        receive(world.city_admin)
    assert not Dossier.objects.exists()


def test_the_appointment_follows_the_citys_calendar(world):
    # Friday 13/3 made a day off by the city: Tuesday + 3 working days → Monday 16/3.
    CalendarExceptionFactory(city=world.city, date=dt.date(2026, 3, 13))
    dossier = receive(world.officer).dossier
    assert dossier.appointment_at == at(2026, 3, 16, 9, 0)
    other_city_worker = world.far_ward.staff.model.objects.create(
        username="officer.dian", role="officer", ward=world.far_ward
    )
    assert receive(other_city_worker).dossier.appointment_at == at(2026, 3, 13, 9, 0)


def test_out_of_list_rules_flag_the_dossier(world, settings):
    settings.INTAKE_RULES = ["tests.intake.test_services.always_out_of_list"]
    assert receive(world.postal_worker).dossier.out_of_list is True
    settings.INTAKE_RULES = []
    assert receive(world.postal_worker).dossier.out_of_list is False


def always_out_of_list(request) -> bool:
    return True


# --- steps -----------------------------------------------------------------------------------


def test_a_step_with_the_same_request_id_is_done_once(world):
    dossier = receive(world.officer).dossier
    for _ in range(2):
        with clock.frozen_at(TUESDAY_9 + dt.timedelta(hours=1)):
            dossier_step(
                user=world.officer, code=dossier.code, action="transfer", request_id="click-1"
            )
    assert dossier.events.filter(action="transfer").count() == 1
    # A second click after the state moved on is not a conflict either: it was already done.
    with clock.frozen_at(TUESDAY_9 + dt.timedelta(hours=2)):
        dossier_step(user=world.officer, code=dossier.code, action="resolve", request_id="r")
        again = dossier_step(
            user=world.officer, code=dossier.code, action="transfer", request_id="click-1"
        )
    assert again.status == Status.RESULT_READY
    assert dossier.events.count() == 3


def test_hand_offs_name_giver_and_receiver(world):
    desk = f"Trung tâm phục vụ hành chính công {world.ward}"
    agency = f"UBND {world.ward}"
    dossier = receive(world.officer).dossier
    stepped(
        world, dossier, "transfer", "request_supplement", "supplement", "resolve", start=TUESDAY_9
    )
    step(
        world.officer,
        dossier,
        "return",
        moment=TUESDAY_9 + dt.timedelta(hours=2),
        collector_id_number=APPLICANT_ID,
    )
    units = list(dossier.events.order_by("id").values_list("action", "from_unit", "to_unit"))
    assert units == [
        ("receive", "Nguyễn Thị Mai", desk),
        ("transfer", desk, agency),
        ("request_supplement", agency, "Người nộp hồ sơ"),
        ("supplement", "Người nộp hồ sơ", agency),
        ("resolve", agency, desk),
        ("return", desk, "Người nộp hồ sơ"),
    ]
    refused_at_desk = receive(world.officer).dossier
    step(world.postal_worker, refused_at_desk, "refuse", moment=TUESDAY_9, note="Thiếu tờ khai")
    refused_later = stepped(world, receive(world.officer).dossier, "transfer", start=TUESDAY_9)
    step(
        world.officer,
        refused_later,
        "refuse",
        moment=TUESDAY_9 + dt.timedelta(hours=1),
        note="Không đủ điều kiện",
    )
    assert refused_at_desk.events.get(action="refuse").from_unit == desk
    assert refused_later.events.get(action="refuse").from_unit == agency
    assert refused_later.events.get(action="refuse").to_unit == "Người nộp hồ sơ"


def test_a_higher_level_procedure_is_handed_to_its_agency(world):
    procedure = ProcedureFactory(level="province", resolving_agency="Sở Tư pháp tỉnh Bình Dương")
    dossier = receive(world.postal_worker, procedure=procedure).dossier
    assert (dossier.level, dossier.resolving_agency) == ("province", "Sở Tư pháp tỉnh Bình Dương")
    step(world.postal_worker, dossier, "transfer", moment=TUESDAY_9)
    assert dossier.events.get(action="transfer").to_unit == "Sở Tư pháp tỉnh Bình Dương"


def test_a_step_at_a_counter_of_another_ward_is_refused(world):
    dossier = receive(world.officer).dossier
    with pytest.raises(InvalidInput) as raised:
        step(world.officer, dossier, "transfer", moment=TUESDAY_9, counter=world.other_counter)
    assert raised.value.field == "counter"
    assert Dossier.objects.get(pk=dossier.pk).status == Status.RECEIVED
    step(world.officer, dossier, "transfer", moment=TUESDAY_9, counter=world.officer_counter)
    assert dossier.events.get(action="transfer").counter == world.officer_counter


# --- supplement: the wait, and the term restarted ---------------------------------------------


@pytest.mark.parametrize(
    ("requested", "supplemented", "paused_hours", "restarted"),
    [
        # Same morning: 09:30 → 11:00 is 1.5 working hours waited; 10 days from 11:00.
        (at(2026, 3, 10, 9, 30), at(2026, 3, 10, 11, 0), 1.5, at(2026, 3, 24, 11, 0)),
        # Same day across lunch: 10:00 → 14:00 is 1.5 + 0.5 = 2 hours.
        (at(2026, 3, 10, 10, 0), at(2026, 3, 10, 14, 0), 2, at(2026, 3, 24, 14, 0)),
        # Tuesday 10:00 → Thursday 10:00: two working days.
        (at(2026, 3, 10, 10, 0), at(2026, 3, 12, 10, 0), 16, at(2026, 3, 26, 10, 0)),
        # Friday 16:00 → Monday 08:00: the weekend does not count.
        (at(2026, 3, 13, 16, 0), at(2026, 3, 16, 8, 0), 2, at(2026, 3, 30, 8, 0)),
        # Requested and brought back during the lunch break: nothing waited; the term counts
        # from 13:30.
        (at(2026, 3, 10, 12, 0), at(2026, 3, 10, 13, 0), 0, at(2026, 3, 24, 13, 30)),
    ],
)
def test_a_completed_supplement_restarts_the_term(
    world, requested, supplemented, paused_hours, restarted
):
    dossier = receive(world.officer, procedure=ProcedureFactory(processing_days=10)).dossier
    original = dossier.appointment_at  # Tuesday 24/3 09:00
    step(world.officer, dossier, "transfer", moment=TUESDAY_9)
    step(world.officer, dossier, "request_supplement", moment=requested, note="Thiếu bản sao CCCD")
    paused = Dossier.objects.get(pk=dossier.pk)
    assert paused.paused_since == requested
    assert paused.supplement_count == 1
    assert paused.appointment_at == original  # changes only when the papers arrive
    step(world.postal_worker, dossier, "supplement", moment=supplemented)
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.paused_since is None
    assert dossier.paused_seconds == paused_hours * 3600  # the wait, kept for the reports
    assert dossier.appointment_at == restarted
    event = dossier.events.get(action="supplement")
    assert event.appointment_at == restarted


def test_a_supplement_completed_two_days_later_restarts_three_days_from_then(world):
    dossier = receive(world.officer).dossier  # due Friday 13/3 09:00
    stepped(world, dossier, "transfer", "request_supplement", start=at(2026, 3, 10, 10, 0))
    step(world.officer, dossier, "supplement", moment=at(2026, 3, 12, 10, 10))
    # Complete on Thursday 10:10: three working days from then is Tuesday 17/3 10:10.
    assert Dossier.objects.get(pk=dossier.pk).appointment_at == at(2026, 3, 17, 10, 10)


def test_withdrawing_while_paused_ends_the_pause(world):
    dossier = receive(world.officer).dossier
    stepped(world, dossier, "transfer", "request_supplement", start=at(2026, 3, 10, 10, 0))
    step(world.postal_worker, dossier, "withdraw", moment=at(2026, 3, 10, 11, 10))
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.status == Status.WITHDRAWN
    assert dossier.paused_since is None
    assert dossier.paused_seconds == 3600
    assert dossier.appointment_at == at(2026, 3, 13, 9, 0)


def test_supplement_request_needs_a_note(world):
    dossier = stepped(world, receive(world.officer).dossier, "transfer", start=TUESDAY_9)
    with pytest.raises(InvalidInput) as raised:
        step(world.officer, dossier, "request_supplement", moment=TUESDAY_9, note="  ")
    assert raised.value.field == "note"
    assert Dossier.objects.get(pk=dossier.pk).status == Status.PROCESSING


# --- timeliness ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("resolved", "expected"),
    [
        (at(2026, 3, 12, 16, 0), "early"),  # Thursday, the day before the appointment
        (at(2026, 3, 13, 8, 0), "on_time"),  # the appointment's day, before its hour
        (at(2026, 3, 13, 16, 30), "on_time"),  # the appointment's day, after its hour
        (at(2026, 3, 16, 7, 0), "late"),  # the next working day
    ],
)
def test_timeliness_of_the_result(world, resolved, expected):
    dossier = stepped(world, receive(world.officer).dossier, "transfer", start=TUESDAY_9)
    step(world.officer, dossier, "resolve", moment=resolved)
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert (dossier.timeliness, dossier.resolved_at) == (expected, resolved)


def test_a_pause_makes_a_result_after_the_original_date_timely(world):
    dossier = receive(world.officer).dossier  # due Friday 13/3 09:00
    stepped(world, dossier, "transfer", "request_supplement", start=at(2026, 3, 10, 10, 0))
    step(world.officer, dossier, "supplement", moment=at(2026, 3, 12, 10, 10))
    step(world.officer, dossier, "resolve", moment=at(2026, 3, 16, 10, 0))
    assert Dossier.objects.get(pk=dossier.pk).timeliness == "early"  # due Tuesday 17/3


def test_more_than_one_supplement_request_counts_as_late(world):
    dossier = receive(world.officer, procedure=ProcedureFactory(processing_days=10)).dossier
    stepped(
        world,
        dossier,
        "transfer",
        "request_supplement",
        "supplement",
        "request_supplement",
        "supplement",
        "resolve",
        start=TUESDAY_9,
    )
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.supplement_count == 2
    assert dossier.resolved_at.date() == dt.date(2026, 3, 10)  # days before the appointment
    assert dossier.timeliness == "late"


def test_one_supplement_request_keeps_an_early_result_early(world):
    dossier = receive(world.officer, procedure=ProcedureFactory(processing_days=10)).dossier
    stepped(
        world, dossier, "transfer", "request_supplement", "supplement", "resolve", start=TUESDAY_9
    )
    assert Dossier.objects.get(pk=dossier.pk).timeliness == "early"


def test_an_apology_does_not_make_a_late_result_timely(world):
    dossier = stepped(world, receive(world.officer).dossier, "transfer", start=TUESDAY_9)
    step(
        world.chief,
        dossier,
        "apologise",
        moment=at(2026, 3, 12, 9, 0),
        note="Chờ xác minh của cơ quan khác",
        new_appointment_at=at(2026, 3, 20, 9, 0),
    )
    step(world.officer, dossier, "resolve", moment=at(2026, 3, 18, 9, 0))
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.due_at == at(2026, 3, 20, 9, 0)
    assert dossier.timeliness == "late"


# --- apology -----------------------------------------------------------------------------------


def test_apology_sets_one_later_date_once(world):
    dossier = stepped(world, receive(world.officer).dossier, "transfer", start=TUESDAY_9)
    new_date = at(2026, 3, 18, 9, 0)
    step(
        world.officer,
        dossier,
        "apologise",
        moment=at(2026, 3, 12, 9, 0),
        note="Chậm xác minh",
        new_appointment_at=new_date,
    )
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.apology_appointment_at == new_date
    assert dossier.due_at == new_date
    assert dossier.status == Status.PROCESSING
    assert dossier.events.get(action="apologise").appointment_at == new_date
    with pytest.raises(Conflict):
        step(
            world.officer,
            dossier,
            "apologise",
            moment=at(2026, 3, 12, 10, 0),
            note="Lần hai",
            new_appointment_at=new_date + dt.timedelta(days=5),
        )
    assert Dossier.objects.get(pk=dossier.pk).apology_appointment_at == new_date
    assert dossier.events.filter(action="apologise").count() == 1


@pytest.mark.parametrize(
    "new_date",
    [
        None,
        at(2026, 3, 13, 9, 0),  # the appointment itself
        at(2026, 3, 12, 9, 0),  # earlier
        at(2026, 3, 13, 8, 59),  # earlier the same day
    ],
)
def test_apology_date_must_be_later_than_the_appointment(world, new_date):
    dossier = stepped(world, receive(world.officer).dossier, "transfer", start=TUESDAY_9)
    with pytest.raises(InvalidInput) as raised:
        step(
            world.officer,
            dossier,
            "apologise",
            moment=TUESDAY_9,
            note="Chậm",
            new_appointment_at=new_date,
        )
    assert raised.value.field == "new_appointment_at"
    assert Dossier.objects.get(pk=dossier.pk).apology_appointment_at is None


def test_apology_at_the_start_of_the_afternoon_is_no_later_than_the_end_of_the_morning(world):
    procedure = ProcedureFactory(processing_days=1)
    # Received Tuesday 11:30 → due Wednesday 11:30; Wednesday 13:30 is the same working instant.
    dossier = receive(world.officer, procedure=procedure, moment=at(2026, 3, 10, 11, 30)).dossier
    assert dossier.appointment_at == at(2026, 3, 11, 11, 30)
    with pytest.raises(InvalidInput):
        step(
            world.officer,
            dossier,
            "apologise",
            moment=at(2026, 3, 10, 14, 0),
            note="Chậm",
            new_appointment_at=at(2026, 3, 11, 13, 30),
        )


def test_apology_date_outside_working_hours_means_the_next_opening(world):
    dossier = stepped(world, receive(world.officer).dossier, "transfer", start=TUESDAY_9)
    step(
        world.officer,
        dossier,
        "apologise",
        moment=TUESDAY_9,
        note="Chậm",
        new_appointment_at=at(2026, 3, 14, 10, 0),
    )
    assert Dossier.objects.get(pk=dossier.pk).apology_appointment_at == at(2026, 3, 16, 7, 0)


def test_apology_needs_a_reason(world):
    dossier = receive(world.officer).dossier
    with pytest.raises(InvalidInput) as raised:
        step(
            world.officer,
            dossier,
            "apologise",
            moment=TUESDAY_9,
            note="",
            new_appointment_at=at(2026, 3, 20, 9, 0),
        )
    assert raised.value.field == "note"


def test_a_same_day_apology_date_must_be_a_later_working_instant(world):
    procedure = ProcedureFactory(processing_days=1)  # due Wednesday 09:00
    dossier = stepped(
        world, receive(world.officer, procedure=procedure).dossier, "transfer", start=TUESDAY_9
    )
    # Wednesday 09:00 is the appointment itself, and 20:00 on Tuesday means Wednesday 07:00,
    # earlier still: both are refused.
    for no_later in (at(2026, 3, 11, 9, 0), at(2026, 3, 10, 20, 0)):
        with pytest.raises(InvalidInput):
            step(
                world.officer,
                dossier,
                "apologise",
                moment=TUESDAY_9,
                note="Chậm",
                new_appointment_at=no_later,
            )
    step(
        world.officer,
        dossier,
        "apologise",
        moment=TUESDAY_9,
        note="Chậm",
        new_appointment_at=at(2026, 3, 11, 10, 0),
    )
    assert Dossier.objects.get(pk=dossier.pk).apology_appointment_at == at(2026, 3, 11, 10, 0)


@pytest.mark.parametrize(
    ("apology_date", "kept"),
    [
        # The restart gives Monday 16/3 10:00: an apology for 09:00 that day no longer holds.
        (at(2026, 3, 16, 9, 0), False),
        # An apology for Friday 20/3 is still later than the restarted appointment: it holds.
        (at(2026, 3, 20, 9, 0), True),
    ],
)
def test_a_restart_voids_an_apology_date_earlier_than_the_new_appointment(
    world, apology_date, kept
):
    dossier = stepped(world, receive(world.officer).dossier, "transfer", start=TUESDAY_9)
    step(
        world.officer,
        dossier,
        "apologise",
        moment=at(2026, 3, 10, 9, 30),
        note="Chậm",
        new_appointment_at=apology_date,
    )
    step(world.officer, dossier, "request_supplement", moment=at(2026, 3, 10, 10), note="Thiếu")
    step(world.postal_worker, dossier, "supplement", moment=at(2026, 3, 11, 10, 0))
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.appointment_at == at(2026, 3, 16, 10, 0)
    assert dossier.apology_appointment_at == (apology_date if kept else None)
    assert dossier.due_at == (apology_date if kept else at(2026, 3, 16, 10, 0))
    # The apology's event keeps what was promised, and a second apology is still refused.
    assert dossier.events.get(action="apologise").appointment_at == apology_date
    with pytest.raises(Conflict):
        step(
            world.officer,
            dossier,
            "apologise",
            moment=at(2026, 3, 11, 11, 0),
            note="Lần hai",
            new_appointment_at=at(2026, 3, 25, 9, 0),
        )


# --- return ----------------------------------------------------------------------------------


def ready(world):
    return stepped(
        world, receive(world.postal_worker).dossier, "transfer", "resolve", start=TUESDAY_9
    )


def test_return_checks_the_collectors_id(world):
    dossier = ready(world)
    later = TUESDAY_9 + dt.timedelta(hours=3)
    with pytest.raises(InvalidInput) as raised:
        step(world.postal_worker, dossier, "return", moment=later, note="")
    assert raised.value.field == "collector_id_number"
    with pytest.raises(InvalidInput) as raised:
        step(
            world.postal_worker,
            dossier,
            "return",
            moment=later,
            note="",
            collector_id_number="074190009999",
        )
    assert raised.value.field == "note"
    assert Dossier.objects.get(pk=dossier.pk).status == Status.RESULT_READY
    step(
        world.postal_worker,
        dossier,
        "return",
        moment=later,
        note="Nhận thay: Trần Văn Bình, giấy ủy quyền ngày 09/3/2026",
        collector_id_number="074190009999",
        satisfaction=4,
    )
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.status == Status.RETURNED
    assert (dossier.returned_at, dossier.returned_by, dossier.return_method) == (
        later,
        world.postal_worker,
        "counter",
    )
    assert dossier.satisfaction == 4
    assert dossier.national_status == 10


def test_return_to_the_applicant_needs_no_note(world):
    dossier = ready(world)
    step(
        world.officer,
        dossier,
        "return",
        moment=TUESDAY_9 + dt.timedelta(hours=3),
        note="",
        collector_id_number=f" {APPLICANT_ID} ",
    )
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.status == Status.RETURNED
    assert dossier.satisfaction is None


@pytest.mark.parametrize("satisfaction", [0, 6, -1, "5"])
def test_satisfaction_is_one_to_five(world, satisfaction):
    dossier = ready(world)
    with pytest.raises(InvalidInput) as raised:
        step(
            world.officer,
            dossier,
            "return",
            moment=TUESDAY_9 + dt.timedelta(hours=3),
            collector_id_number=APPLICANT_ID,
            satisfaction=satisfaction,
        )
    assert raised.value.field == "satisfaction"
    assert Dossier.objects.get(pk=dossier.pk).status == Status.RESULT_READY


@pytest.mark.parametrize("satisfaction", [1, 3, 5])
def test_every_satisfaction_level_is_kept(world, satisfaction):
    dossier = ready(world)
    step(
        world.officer,
        dossier,
        "return",
        moment=TUESDAY_9 + dt.timedelta(hours=3),
        collector_id_number=APPLICANT_ID,
        satisfaction=satisfaction,
    )
    assert Dossier.objects.get(pk=dossier.pk).satisfaction == satisfaction


def test_refusal_needs_a_reason(world):
    dossier = receive(world.officer).dossier
    with pytest.raises(InvalidInput) as raised:
        step(world.officer, dossier, "refuse", moment=TUESDAY_9, note="")
    assert raised.value.field == "note"
    assert Dossier.objects.get(pk=dossier.pk).status == Status.RECEIVED


# --- the event log -----------------------------------------------------------------------------


def test_events_are_append_only(world):
    event = receive(world.officer).dossier.events.get()
    event.note = "Sửa lại"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    assert DossierEvent.objects.get(pk=event.pk).note == ""


def test_factory_dossiers_open_with_the_known_pin_and_never_clash_with_intake(world):
    made = DossierFactory(ward=world.ward, result_ready=True, age=dt.timedelta(hours=1))
    DossierEventFactory(dossier=made)
    assert lookup_pin_matches(made, KNOWN_PIN)
    received = receive(world.officer, moment=clock.now()).dossier
    assert received.code != made.code
