"""The city admin's calendar exceptions (with the preview) and wards' pilot phase."""

import datetime as dt

import pytest
from django.urls import reverse

from onestop.errors import Conflict, InvalidInput, NotAllowed
from tests.intake.factories import DossierFactory, ProcedureFactory
from tests.wards.factories import CalendarExceptionFactory
from wards import calendar_admin
from wards.calendar import VIETNAM_TZ, appointment_at
from wards.models import CalendarException, City, Ward
from wards.selectors import working_calendar
from wards.signals import calendar_changed

pytestmark = pytest.mark.django_db

# Friday 11 December 2026 becomes a day off; Saturday 19 December a make-up working day.
FRIDAY = dt.date(2026, 12, 11)
SATURDAY = dt.date(2026, 12, 19)


def test_add_day_off_moves_new_appointments(world):
    procedure = ProcedureFactory(processing_days=3)
    received = dt.datetime(2026, 12, 9, 9, tzinfo=VIETNAM_TZ)  # Wednesday
    before = appointment_at(received, 3, working_calendar(city_id=world.city.pk))
    assert before.date() == dt.date(2026, 12, 14)  # Thu, Fri, Mon
    calendar_admin.calendar_exception_add(
        user=world.city_admin, date=FRIDAY, kind="day_off", note="Nghỉ bù"
    )
    after = appointment_at(received, 3, working_calendar(city_id=world.city.pk))
    assert after.date() == dt.date(2026, 12, 15)
    # The other city's calendar is untouched.
    assert appointment_at(received, 3, working_calendar(city_id=world.other_city.pk)) == before
    assert procedure.processing_days == 3


def test_preview_shows_the_move_and_the_open_dossiers_due_that_day(world):
    procedure = ProcedureFactory(processing_days=3)
    DossierFactory(
        ward=world.ward,
        received_at=dt.datetime(2026, 12, 8, 9, tzinfo=VIETNAM_TZ),
        appointment_at=dt.datetime(2026, 12, 11, 9, tzinfo=VIETNAM_TZ),
        processing=True,
    )
    preview = calendar_admin.calendar_exception_preview(
        user=world.city_admin, date=FRIDAY, kind="day_off", procedure=procedure
    )
    assert preview.received_at == dt.datetime(2026, 12, 9, 9, tzinfo=VIETNAM_TZ)
    assert preview.before.date() == dt.date(2026, 12, 14)
    assert preview.after.date() == dt.date(2026, 12, 15)
    assert preview.moved and preview.shift_days == 1
    assert preview.open_due_that_day == 1
    assert not CalendarException.objects.exists()  # a preview writes nothing


def test_make_up_working_day_brings_appointments_forward(world):
    procedure = ProcedureFactory(processing_days=3)
    received = dt.datetime(2026, 12, 17, 9, tzinfo=VIETNAM_TZ)  # Thursday
    preview = calendar_admin.calendar_exception_preview(
        user=world.city_admin,
        date=SATURDAY,
        kind="working_day",
        procedure=procedure,
        received_at=received,
    )
    assert preview.before.date() == dt.date(2026, 12, 22)  # Fri, Mon, Tue
    assert preview.after.date() == dt.date(2026, 12, 21)  # Fri, Sat, Mon


def test_refusals(world):
    with pytest.raises(InvalidInput):
        calendar_admin.calendar_exception_add(user=world.city_admin, date=SATURDAY, kind="day_off")
    with pytest.raises(InvalidInput):
        calendar_admin.calendar_exception_add(
            user=world.city_admin, date=FRIDAY, kind="working_day"
        )
    calendar_admin.calendar_exception_add(user=world.city_admin, date=FRIDAY, kind="day_off")
    with pytest.raises(Conflict):
        calendar_admin.calendar_exception_add(user=world.city_admin, date=FRIDAY, kind="day_off")
    with pytest.raises(City.DoesNotExist):
        calendar_admin.calendar_exception_add(user=world.chief, date=FRIDAY, kind="day_off")


def test_revoke_keeps_history_and_frees_the_day(world):
    exception = calendar_admin.calendar_exception_add(
        user=world.city_admin, date=FRIDAY, kind="day_off"
    )
    with pytest.raises(InvalidInput):
        calendar_admin.calendar_exception_revoke(
            user=world.city_admin, exception_id=exception.pk, note=" "
        )
    calendar_admin.calendar_exception_revoke(
        user=world.city_admin, exception_id=exception.pk, note="Nhầm ngày"
    )
    assert FRIDAY not in working_calendar(city_id=world.city.pk).extra_days_off
    assert CalendarException.objects.get(pk=exception.pk).revoke_note == "Nhầm ngày"
    again = calendar_admin.calendar_exception_add(
        user=world.city_admin, date=FRIDAY, kind="day_off"
    )
    assert again.pk != exception.pk
    with pytest.raises(CalendarException.DoesNotExist):
        calendar_admin.calendar_exception_revoke(
            user=world.other_city_admin, exception_id=again.pk, note="x"
        )


@pytest.fixture
def failing_receiver():
    """A receiver of calendar_changed that fails, as a failing recount would."""

    def fail(sender, **kwargs):
        raise RuntimeError("recount failed")

    calendar_changed.connect(fail, dispatch_uid="test.failing_receiver")
    yield
    calendar_changed.disconnect(dispatch_uid="test.failing_receiver")


def test_a_calendar_change_is_told_with_its_city(world):
    told = []

    def listen(sender, *, city, **kwargs):
        told.append((city, CalendarException.objects.filter(city=city).count()))

    calendar_changed.connect(listen, dispatch_uid="test.listen")
    try:
        exception = calendar_admin.calendar_exception_add(
            user=world.city_admin, date=FRIDAY, kind="day_off"
        )
        calendar_admin.calendar_exception_revoke(
            user=world.city_admin, exception_id=exception.pk, note="Nhầm ngày"
        )
        # Told once per change, after the change and inside it: a revoked one is told once.
        calendar_admin.calendar_exception_revoke(
            user=world.city_admin, exception_id=exception.pk, note="Nhầm ngày"
        )
    finally:
        calendar_changed.disconnect(dispatch_uid="test.listen")
    assert told == [(world.city, 1), (world.city, 1)]


def test_a_receiver_that_fails_undoes_the_calendar_change(world, failing_receiver):
    with pytest.raises(RuntimeError):
        calendar_admin.calendar_exception_add(user=world.city_admin, date=FRIDAY, kind="day_off")
    assert not CalendarException.objects.exists()
    exception = CalendarExceptionFactory(city=world.city, date=FRIDAY)
    with pytest.raises(RuntimeError):
        calendar_admin.calendar_exception_revoke(
            user=world.city_admin, exception_id=exception.pk, note="Nhầm ngày"
        )
    exception.refresh_from_db()
    assert exception.revoked_at is None


def test_the_preview_samples_are_the_procedures_with_a_term(world):
    with_term = ProcedureFactory(processing_days=3)
    ProcedureFactory(processing_days=None)
    ProcedureFactory(processing_days=5, active=False)
    samples = calendar_admin.calendar_preview_samples(user=world.city_admin)
    assert list(samples) == [with_term]


def test_calendar_page_preview_with_htmx_and_without(client, world):
    procedure = ProcedureFactory(processing_days=3, code="1.000001")
    client.force_login(world.city_admin)
    url = reverse("wards:calendar")
    data = {
        "date": "11/12/2026",
        "kind": "day_off",
        "note": "",
        "sample_procedure": procedure.code,
        "sample_received_at": "09/12/2026 09:00",
        "preview": "1",
    }
    fragment = client.post(url, data, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('<div id="calendar-preview"')
    assert "14/12/2026" in fragment and "15/12/2026" in fragment
    page = client.post(url, data).content.decode()
    assert 'data-testid="calendar-preview"' in page and "<html" in page
    del data["preview"]
    data["add"] = "1"
    assert client.post(url, data).status_code == 302
    assert CalendarException.objects.get(city=world.city).date == FRIDAY
    page = client.post(url, data).content.decode()
    assert "đã có trong lịch" in page
    assert 'value="11/12/2026"' in page  # what was typed stays


def test_ward_pilot_phase(world, client):
    ward = world.other_ward
    with pytest.raises(InvalidInput) as error:
        calendar_admin.ward_set_pilot(
            user=world.city_admin, slug=ward.slug, pilot_phase=2, pilot_started_on=None
        )
    assert error.value.field == "pilot_started_on"
    calendar_admin.ward_set_pilot(
        user=world.city_admin,
        slug=ward.slug,
        pilot_phase=2,
        pilot_started_on=dt.date(2019, 7, 1),
    )
    ward.refresh_from_db()
    assert ward.pilot_phase == Ward.PilotPhase.SECOND
    calendar_admin.ward_set_pilot(
        user=world.city_admin, slug=ward.slug, pilot_phase=0, pilot_started_on=dt.date(2019, 7, 1)
    )
    ward.refresh_from_db()
    assert (ward.pilot_phase, ward.pilot_started_on) == (0, None)
    with pytest.raises(Ward.DoesNotExist):
        calendar_admin.ward_set_pilot(
            user=world.other_city_admin, slug=ward.slug, pilot_phase=0, pilot_started_on=None
        )
    client.force_login(world.city_admin)
    response = client.post(
        reverse("wards:ward-admin-edit", args=[ward.slug]),
        {"pilot_phase": "1", "pilot_started_on": "01/12/2018", "active": "on"},
    )
    assert response.status_code == 302
    ward.refresh_from_db()
    assert (ward.pilot_phase, ward.pilot_started_on) == (1, dt.date(2018, 12, 1))
    page = client.post(
        reverse("wards:ward-admin-edit", args=[ward.slug]), {"pilot_phase": "2", "active": "on"}
    ).content.decode()
    assert "Nhập ngày bắt đầu thí điểm" in page


def test_only_the_city_admin_manages(world):
    with pytest.raises((City.DoesNotExist, NotAllowed)):
        calendar_admin.ward_set_pilot(
            user=world.chief, slug=world.ward.slug, pilot_phase=0, pilot_started_on=None
        )
