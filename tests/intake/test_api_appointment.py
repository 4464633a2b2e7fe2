"""GET /api/v1/procedures/{code}/appointment/: the appointment a kiosk shows before filing."""

import datetime as dt
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tests.intake.factories import ProcedureFactory
from tests.onestop.factories import UserFactory
from tests.wards.factories import CalendarExceptionFactory
from wards.calendar import VIETNAM_TZ
from wards.models import CalendarException

pytestmark = pytest.mark.django_db

# Monday 16/03/2026 09:00 in Vietnam: an ordinary working week.
MONDAY_9 = "2026-03-16T09:00:00+07:00"


@pytest.fixture
def api(world):
    client = APIClient()
    client.force_authenticate(world.postal_worker)
    return client


@pytest.fixture
def procedure(db):
    return ProcedureFactory(code="1.001193", processing_days=3)


def appointment(api, code="1.001193", received_at: str | None = None):
    url = reverse("procedure-appointment", kwargs={"code": code})
    if received_at is not None:
        url += "?received_at=" + quote(received_at)
    return api.get(url)


def test_three_working_days_from_monday_morning(api, procedure):
    # Monday 09:00 + 3 working days -> Thursday 09:00
    response = appointment(api, received_at=MONDAY_9)
    assert response.status_code == 200
    assert response.json() == {
        "received_at": MONDAY_9,
        "appointment_at": "2026-03-19T09:00:00+07:00",
        "processing_days": 3,
        "term_unit": "working_days",
    }


def test_an_instant_in_another_time_zone_counts_in_vietnam_time(api, procedure):
    # 02:00 UTC is Monday 09:00 in Vietnam
    response = appointment(api, received_at="2026-03-16T02:00:00Z")
    assert response.json()["received_at"] == MONDAY_9
    assert response.json()["appointment_at"] == "2026-03-19T09:00:00+07:00"


def test_a_plus_sign_left_unencoded_in_the_query_still_reads(api, procedure):
    # A query string turns an unencoded "+07:00" into " 07:00".
    url = reverse("procedure-appointment", kwargs={"code": "1.001193"})
    response = api.get(url + "?received_at=2026-03-16T09:00:00+07:00")
    assert response.status_code == 200
    assert response.json()["appointment_at"] == "2026-03-19T09:00:00+07:00"


def test_same_day_procedure_after_15_is_due_the_next_working_day(api):
    ProcedureFactory(code="2.000001", same_day=True)
    # Friday 20/03 16:00, same-day -> Monday 23/03 17:00
    response = appointment(api, code="2.000001", received_at="2026-03-20T16:00:00+07:00")
    assert response.json()["appointment_at"] == "2026-03-23T17:00:00+07:00"
    assert response.json()["processing_days"] == 0


def test_across_hung_kings_day_and_30_april(api, procedure):
    # Friday 24/04/2026 10:00 + 3: Mon 27/04 (Hùng Kings observed), Thu 30/04 and Fri 01/05 off
    # -> Tue 28/04, Wed 29/04, Mon 04/05 10:00
    response = appointment(api, received_at="2026-04-24T10:00:00+07:00")
    assert response.json()["appointment_at"] == "2026-05-04T10:00:00+07:00"


def test_without_received_at_counts_from_now(api, procedure):
    before = timezone.now()
    response = appointment(api)
    assert response.status_code == 200
    received = dt.datetime.fromisoformat(response.json()["received_at"])
    assert before <= received <= timezone.now()
    assert dt.datetime.fromisoformat(response.json()["appointment_at"]) > received
    assert received.utcoffset() == dt.timedelta(hours=7)


# Whose calendar


@pytest.fixture
def tuesday_off(world):
    """Thủ Dầu Một gives Tuesday 17/03/2026 off."""
    return CalendarExceptionFactory(
        city=world.city, date=dt.date(2026, 3, 17), kind=CalendarException.Kind.DAY_OFF
    )


@pytest.mark.parametrize("actor", ["postal_worker", "officer", "chief", "city_admin"])
def test_the_callers_city_calendar_is_used(world, procedure, tuesday_off, actor):
    api = APIClient()
    api.force_authenticate(getattr(world, actor))
    # Monday 09:00 + 3 with Tuesday off -> Friday 09:00
    assert appointment(api, received_at=MONDAY_9).json()["appointment_at"] == (
        "2026-03-20T09:00:00+07:00"
    )


@pytest.mark.parametrize("actor", ["other_chief", "other_city_admin"])
def test_another_citys_day_off_does_not_count(world, procedure, tuesday_off, actor):
    api = APIClient()
    api.force_authenticate(getattr(world, actor))
    expected = "2026-03-19T09:00:00+07:00"
    if actor == "other_chief":
        # other_chief works in Phú Lợi, a ward of the same city: Tuesday is off there too.
        expected = "2026-03-20T09:00:00+07:00"
    assert appointment(api, received_at=MONDAY_9).json()["appointment_at"] == expected


def test_a_superuser_gets_the_national_calendar(world, procedure, tuesday_off):
    api = APIClient()
    api.force_authenticate(UserFactory(superuser=True))
    assert appointment(api, received_at=MONDAY_9).json()["appointment_at"] == (
        "2026-03-19T09:00:00+07:00"
    )


def test_an_extra_working_saturday_of_the_city_counts(api, world, procedure):
    CalendarExceptionFactory(
        city=world.city, date=dt.date(2026, 3, 21), kind=CalendarException.Kind.WORKING_DAY
    )
    # Thursday 19/03 10:00 + 3 with Saturday 21/03 worked: Fri, Sat, Mon -> Monday 23/03 10:00
    response = appointment(api, received_at="2026-03-19T10:00:00+07:00")
    assert response.json()["appointment_at"] == "2026-03-23T10:00:00+07:00"


# Refusals


def test_a_procedure_without_verified_processing_days_is_a_400(api):
    ProcedureFactory(code="3.000001", unverified=True)
    response = appointment(api, code="3.000001", received_at=MONDAY_9)
    assert response.status_code == 400
    assert list(response.json()) == ["procedure"]
    assert "chưa có thời hạn giải quyết" in response.json()["procedure"][0]


def test_an_unknown_procedure_is_a_404(api, procedure):
    assert appointment(api, code="9.999999").status_code == 404


def test_a_withdrawn_procedure_is_a_404(api):
    ProcedureFactory(code="4.000001", active=False)
    assert appointment(api, code="4.000001").status_code == 404


@pytest.mark.parametrize(
    "value",
    [
        "2026-03-16T09:00:00",  # naive: whose 09:00?
        "2026-03-16",
        "16/03/2026 09:00",
        "garbage",
        "",
        "2026-02-30T09:00:00+07:00",
        "2026-03-16T25:00:00+07:00",
        "9999-12-31T23:59:59+00:00",
        "0001-01-01T00:00:00+00:00",
        "1990-01-01T09:00:00+07:00",  # more than ten years away
        "2099-01-01T09:00:00+07:00",
        "2026-03-16T09:00:00+99:00",
        "x" * 10_000,
    ],
)
def test_a_bad_received_at_is_a_400_naming_the_field(api, procedure, value):
    response = appointment(api, received_at=value)
    if value == "":
        # An empty parameter is the same as none: now.
        assert response.status_code == 200
        return
    assert response.status_code == 400, response.content
    assert list(response.json()) == ["received_at"]


def test_a_naive_time_is_refused_with_a_message_asking_for_the_offset(api, procedure):
    response = appointment(api, received_at="2026-03-16T09:00:00")
    assert "múi giờ" in response.json()["received_at"][0]


def test_anonymous_is_refused(procedure):
    assert appointment(APIClient(), received_at=MONDAY_9).status_code == 403


def test_the_answer_is_in_vietnam_time(api, procedure):
    received = dt.datetime(2026, 3, 16, 9, tzinfo=VIETNAM_TZ).astimezone(dt.UTC)
    response = appointment(api, received_at=received.isoformat())
    assert response.json()["appointment_at"].endswith("+07:00")
